package xmlspan

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkScan scans domains of 1, 4 and 16 MiB whose bulk is many small
// elements with entities and non-ASCII text (the slow path of the
// readers): the cost per byte must stay flat as the size grows, which
// b.SetBytes shows as MB/s.
func BenchmarkScan(b *testing.B) {
	for _, mib := range []int{1, 4, 16} {
		var doc strings.Builder
		doc.WriteString("<domain type='kvm'>\n  <name>dc01 &amp; co — ü</name>\n  <genid>09512cc5-940a-8987-b950-f54f631015e8</genid>\n  <metadata>\n")
		for doc.Len() < mib<<20 {
			doc.WriteString("    <x:note xmlns:x='urn:x' a=\"1 &lt; 2\">déjà vu &#x2014; &amp;</x:note>\n")
		}
		doc.WriteString("  </metadata>\n</domain>\n")
		in := []byte(doc.String())
		b.Run(fmt.Sprintf("%dMiB", mib), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for i := 0; i < b.N; i++ {
				if _, err := Scan(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
