package vmcx_test

import (
	"bytes"
	"fmt"

	"github.com/genid-migrate/genid-migrate/internal/vmcxbuild"
	"github.com/genid-migrate/genid-migrate/vmcx"
)

// Open a container and look a key up by path. (The container here is
// written by the project's builder; Open reads a file the same way.)
func ExampleNewFile() {
	b, _, _ := vmcxbuild.Build(vmcxbuild.Node("configuration",
		vmcxbuild.Node("global_settings", vmcxbuild.Node("devices",
			vmcxbuild.String("generation_id", "805a287a250989e4fe6f6992be334a43")))), vmcxbuild.Options{})
	f, err := vmcx.NewFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		panic(err)
	}
	fmt.Println("header", f.Header.Copy(), "journal entries", f.Journal.Live)
	for _, k := range f.Lookup("configuration/global_settings/devices/generation_id") {
		s, _ := k.String()
		fmt.Printf("%s (%s) = %s\n", k.Path(), k.Type, s)
	}
	// Output:
	// header A journal entries 0
	// configuration/global_settings/devices/generation_id (string) = 805a287a250989e4fe6f6992be334a43
}
