package guest_test

import (
	"fmt"

	"github.com/genid-migrate/genid-migrate/readers/guest"
)

func ExampleParse() {
	for _, text := range []string{
		"VmCounterValue: 8987940a09512cc5:e81510634ff550b9",
		"00000000  c5 2c 51 09 0a 94 87 89  b9 50 f5 4f 63 10 15 e8  |.,Q......P.Oc...|",
	} {
		e, err := guest.Parse(text)
		if err != nil {
			panic(err)
		}
		fmt.Println(e.Kind, e.ID.Windows())
	}
	// Output:
	// windows 8987940a09512cc5:e81510634ff550b9
	// bytes 8987940a09512cc5:e81510634ff550b9
}
