package xapi_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/writers/xapi"
)

func ExampleMember() {
	id, _ := genid.ParseWindows("8987940a09512cc5:e81510634ff550b9") // vector seed-vmware
	fmt.Println(xapi.Member(id))
	// Output: "generation_id": "-8536691797830587195:-1723453263670062919"
}
