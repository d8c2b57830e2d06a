package libvirt

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkParseSlowPath parses domains of 1, 4 and 16 MiB that the fast
// scanner hands to the full parsers (entities, non-ASCII text, namespaced
// elements): the cost per byte (MB/s) must stay flat as the size grows.
func BenchmarkParseSlowPath(b *testing.B) {
	for _, mib := range []int{1, 4, 16} {
		var doc strings.Builder
		doc.WriteString("<domain type='kvm'>\n  <name>dc01 &amp; co — ü</name>\n  <uuid>421a6b2c-5e77-0d91-3f4e-82c190aa175b</uuid>\n  <genid>09512cc5-940a-8987-b950-f54f631015e8</genid>\n  <metadata>\n")
		for doc.Len() < mib<<20 {
			doc.WriteString("    <x:note xmlns:x='urn:x' a=\"1 &lt; 2\">déjà vu &#x2014; &amp;</x:note>\n")
		}
		doc.WriteString("  </metadata>\n  <features><acpi/></features>\n</domain>\n")
		in := []byte(doc.String())
		b.Run(fmt.Sprintf("%dMiB", mib), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			for i := 0; i < b.N; i++ {
				if _, err := Parse(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
