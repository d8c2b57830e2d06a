package formats_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/formats"
)

// Read a configuration whatever its format: the format is detected by
// content and the result has one shape.
func ExampleReadFile() {
	r, err := formats.ReadFile("../fixtures/vmware/win2019-dc01.vmx", nil, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Description, "|", r.Convention, "|", r.Where)
	fmt.Println("guest sees", r.ID.Windows())
	fmt.Println("identity", r.IdentityKind, r.Identity)
	// Output:
	// VMware .vmx | vmware | lines 48, 49
	// guest sees 8987940a09512cc5:e81510634ff550b9
	// identity uuid.bios 421a6b2c-5e77-0d91-3f4e-82c190aa175b
}

// What an error means: the exit code and the audit status come from one
// table.
func ExampleExitCode() {
	_, err := formats.ReadFile("../fixtures/negative/no-id/legacy-no-genid.vmx", nil, nil)
	fmt.Println(formats.ExitCode(err), formats.StatusOf(nil, err))
	// Output: 3 missing
}
