package libvirt

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestScanMatchesFullParsers checks that the fast scanner reads the
// corpus's plain domains, gives up on the others, and that where it reads
// a domain its outline equals the one encoding/xml and etree give.
func TestScanMatchesFullParsers(t *testing.T) {
	tests := []struct {
		file string
		fast bool // the scanner reads it
	}{
		{"../../fixtures/libvirt/virt-v2v.xml", true},
		{"../../fixtures/libvirt/crlf.xml", true},
		{"../../fixtures/libvirt/esx-dumpxml.xml", true},
		{"../../fixtures/negative/no-id/virt-install.xml", true},
		{"../../fixtures/negative/no-id/genid-auto.xml", true},
		{"../../fixtures/libvirt/qemu-commandline.xml", false},   // <qemu:commandline>
		{"../../fixtures/negative/no-id/hand-written.xml", true}, // entities and character references
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.file), func(t *testing.T) {
			doc, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			fast, ok := scan(doc)
			if ok != tc.fast {
				t.Fatalf("scan ok = %v, want %v", ok, tc.fast)
			}
			if !ok {
				return
			}
			full, err := parseOutline(doc)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(fast, full) {
				t.Errorf("outlines differ:\nfast %+v\nfull %+v", fast, full)
			}
		})
	}
}

// TestScanEntities: the predefined entities and character references are
// read where the scanner extracts text and passed over elsewhere, as the
// full parsers read them.
func TestScanEntities(t *testing.T) {
	for doc, name := range map[string]string{
		"<domain type='kvm'><name>a&amp;b</name><description>A &amp; B&#39;s &quot;DC&quot;</description></domain>": "a&b",
		"<domain type='kvm'><name>&lt;x&gt;&#x41;&#66;&apos;</name></domain>":                                       "<x>AB'",
		"<domain type='kvm'><name>a&#13;\r\nb</name></domain>":                                                      "a\r\nb",
	} {
		fast, ok := scan([]byte(doc))
		if !ok {
			t.Errorf("scan(%q) gave up", doc)
			continue
		}
		full, err := parseOutline([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(fast, full) || fast.name != name {
			t.Errorf("scan(%q): name %q, want %q\nfast %+v\nfull %+v", doc, fast.name, name, fast, full)
		}
	}
}

// TestScanGivesUp lists shapes the scanner leaves to the full parsers.
func TestScanGivesUp(t *testing.T) {
	for _, doc := range []string{
		"<domain type='kvm'><name>a&foo;b</name></domain>",                  // an entity XML does not predefine
		"<domain type='kvm'><description>A & B</description></domain>",      // a bare &
		"<domain type='kvm'><description>&#0;</description></domain>",       // a character XML forbids
		"<domain type='kvm'><description>a ]]> b</description></domain>",    // ]]> in text
		"<domain type='kvm'><description>&#x110000;</description></domain>", // past Unicode
		"<domain type='kvm'><name>caf\xc3\xa9</name></domain>",
		"<!DOCTYPE domain><domain type='kvm'/>",
		"<domain type='kvm'><name><![CDATA[x]]></name></domain>",
		"<domain type='kvm' type='qemu'></domain>",
		"<domain type='kvm'><genid><!-- x -->1</genid></domain>",
		"<domain type='kvm'><name><b/></name></domain>",
		"<domain type='kvm'><x:commandline xmlns:x='u'/></domain>",
		"<domain type='kvm'x='1'></domain>",
		"<domain type=kvm></domain>",
		"<domain type='kvm'><a></b></domain>",
		"<domain type='kvm'></domain>x",
		"<domain type='kvm'><!-- a -- b --></domain>",
		" <?xml version='1.0'?><domain type='kvm'></domain>",
		"<?xml version='1.0' encoding='ISO-8859-1'?><domain type='kvm'></domain>",
		"<domain type='kvm'></domain><domain/>",
		"<vm type='kvm'></vm>",
	} {
		if _, ok := scan([]byte(doc)); ok {
			t.Errorf("scan(%q) read it; the full parsers should", doc)
		}
	}
}
