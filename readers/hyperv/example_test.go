package hyperv_test

import (
	"fmt"
	"strings"

	"github.com/genid-migrate/genid-migrate/readers/hyperv"
)

// The seed document's Hyper-V VM: its guest showed VMGENID
// fe6f6992be334a43:805a287a250989e4.
func ExampleReadXML() {
	xml := `<?xml version="1.0" encoding="UTF-16" standalone="yes"?>
<configuration>
  <properties>
    <name type="string">dc03</name>
  </properties>
  <global_settings>
    <devices>
      <generation_id type="string">805a287a250989e4fe6f6992be334a43</generation_id>
    </devices>
  </global_settings>
</configuration>
`
	c, err := hyperv.ReadXML(strings.NewReader(xml))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Name, c.ID.Windows(), c.ID.GUID())
	// Output: dc03 fe6f6992be334a43:805a287a250989e4 be334a43-6992-fe6f-e489-09257a285a80
}
