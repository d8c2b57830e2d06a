package vmware_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/writers/vmware"
)

func ExampleLines() {
	id, _ := genid.ParseHyperV("805a287a250989e4fe6f6992be334a43")
	fmt.Print(vmware.Lines(id))
	// Output:
	// vm.genid = "-112755386683798973"
	// vm.genidX = "-9197994783878313500"
}
