package libvirt_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/writers/libvirt"
)

func ExampleElement() {
	id, _ := genid.ParseHyperV("805a287a250989e4fe6f6992be334a43")
	el, err := libvirt.Element(id)
	if err != nil {
		panic(err)
	}
	fmt.Println(el)
	// Output: <genid>be334a43-6992-fe6f-e489-09257a285a80</genid>
}
