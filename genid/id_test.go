package genid

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"
)

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestParseVMXInt(t *testing.T) {
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"0", 0, false},
		{"1", 1, false},
		{"-1", -1, false},
		{"+5", 5, false},  // libvirt accepts a plus sign
		{"007", 7, false}, // and leading zeros, as decimal
		{"9223372036854775807", 9223372036854775807, false},
		{"-9223372036854775808", -9223372036854775808, false},
		{"9223372036854775808", -9223372036854775808, false}, // unsigned above int64 max
		{"18446744073709551615", -1, false},
		{"18446744073709551616", 0, true},
		{"-9223372036854775809", 0, true},
		{"", 0, true},
		{"-", 0, true},
		{"+", 0, true},
		{"0x10", 0, true},
		{"1.5", 0, true},
		{" 1", 0, true},
		{"1 ", 0, true},
		{"1e3", 0, true},
		{"--1", 0, true},
		{"-+1", 0, true},
		{"١", 0, true}, // Arabic-Indic digit one: not ASCII
	}
	for _, tc := range tests {
		got, err := ParseVMXInt(tc.in)
		if tc.wantErr {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("ParseVMXInt(%q) = %d, %v; want a *ParseError", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseVMXInt(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) (ID, error)
		in   string
	}{
		{"guid short", ParseGUID, "44332211-6655-8877-99aa-bbccddeeff0"},
		{"guid no dashes", ParseGUID, "443322116655887799aabbccddeeff00"},
		{"guid braces", ParseGUID, "{44332211-6655-8877-99aa-bbccddeeff00}"},
		{"guid odd dashes", ParseGUID, "4433-2211-6655-8877-99aabbccddeeff00"},
		{"guid non-hex", ParseGUID, "4433221g-6655-8877-99aa-bbccddeeff00"},
		{"guid spaces", ParseGUID, " 44332211-6655-8877-99aa-bbccddeeff00"},
		{"guid input unbalanced brace", ParseGUIDInput, "{44332211-6655-8877-99aa-bbccddeeff00"},
		{"windows no colon", ParseWindows, "8987940a09512cc5"},
		{"windows empty half", ParseWindows, "8987940a09512cc5:"},
		{"windows too long", ParseWindows, "18987940a09512cc5:1"},
		{"windows 0x", ParseWindows, "0x1:2"},
		{"windows three parts", ParseWindows, "1:2:3"},
		{"hyperv short", ParseHyperV, "805a287a250989e4fe6f6992be334a4"},
		{"hyperv dashed", ParseHyperV, "805a287a-2509-89e4-fe6f-6992be334a43"},
		{"hyperv non-hex", ParseHyperV, "805a287a250989e4fe6f6992be334a4z"},
		{"bytes short", ParseGuestBytes, "c52c51090a948789b950f54f631015"},
		{"bytes non-hex", ParseGuestBytes, "c52c51090a948789b950f54f631015gg"},
		{"vmx pair one", ParseVMXPair, "-8536691797830587195"},
		{"vmx pair hex", ParseVMXPair, "0x10:1"},
		{"vmx pair range", ParseVMXPair, "1:18446744073709551616"},
		{"xen one", ParseXen, "5"},
		{"xen fraction", ParseXen, "1.5:2"},
		{"libvirt vmware short", ParseLibvirtVMware, "8987940a-0951-2cc5-e815"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id, err := tc.fn(tc.in)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("parse(%q) = %s, %v; want a *ParseError", tc.in, id.GuestBytes(), err)
			}
			if pe.Input != tc.in {
				t.Errorf("ParseError.Input = %q, want %q", pe.Input, tc.in)
			}
		})
	}
}

func TestParseWindowsLeadingZeros(t *testing.T) {
	// VMGENID.EXE prints no leading zeros; all spellings of the same halves agree.
	want := FromHalves(0x0123456789abcdef, 1)
	for _, in := range []string{"123456789abcdef:1", "0123456789abcdef:0000000000000001", "123456789ABCDEF:1", " 123456789abcdef:1\n"} {
		got, err := ParseWindows(in)
		if err != nil || got != want {
			t.Errorf("ParseWindows(%q) = %s, %v; want %s", in, got.GuestBytes(), err, want.GuestBytes())
		}
	}
}

func TestParseGuestBytesSeparators(t *testing.T) {
	want := MustParseGUID("44332211-6655-8877-99aa-bbccddeeff00")
	for _, in := range []string{
		"112233445566778899aabbccddeeff00",
		"11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff 00",
		"11 22 33 44 55 66 77 88  99 AA BB CC DD EE FF 00",
		"11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff:00",
	} {
		got, err := ParseGuestBytes(in)
		if err != nil || got != want {
			t.Errorf("ParseGuestBytes(%q) = %s, %v; want %s", in, got.GuestBytes(), err, want.GuestBytes())
		}
	}
}

func TestGUIDInputForms(t *testing.T) {
	want := MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8")
	for _, in := range []string{
		"09512cc5-940a-8987-b950-f54f631015e8",
		"09512CC5-940A-8987-B950-F54F631015E8",
		"{09512cc5-940a-8987-b950-f54f631015e8}",
		"  {09512CC5-940A-8987-B950-F54F631015E8}\n",
		"urn:uuid:09512cc5-940a-8987-b950-f54f631015e8",
	} {
		got, err := ParseGUIDInput(in)
		if err != nil || got != want {
			t.Errorf("ParseGUIDInput(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
}

func TestTextMarshalling(t *testing.T) {
	type doc struct {
		ID   ID  `json:"id"`
		None ID  `json:"none"`
		Ptr  *ID `json:"ptr,omitempty"`
	}
	in := doc{ID: MustParseGUID("09512cc5-940a-8987-b950-f54f631015e8")}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"id":"09512cc5-940a-8987-b950-f54f631015e8","none":""}`; string(b) != want {
		t.Errorf("json.Marshal = %s, want %s", b, want)
	}
	var out doc
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}
	if err := json.Unmarshal([]byte(`{"id":"{09512cc5-940a-8987-b950-f54f631015e8}"}`), &out); err == nil {
		t.Error("UnmarshalText accepted braces; want the strict GUID form")
	}
}

func TestZero(t *testing.T) {
	var id ID
	if !id.IsZero() {
		t.Error("zero ID: IsZero() = false")
	}
	if z, _ := ParseXen("0:0"); !z.IsZero() {
		t.Error(`ParseXen("0:0") is not zero`)
	}
	if MustParseGUID("00000000-0000-0000-0000-000000000001").IsZero() {
		t.Error("non-zero ID: IsZero() = true")
	}
}

func TestInputErrorText(t *testing.T) {
	base := errors.New("not a decimal integer")
	tests := []struct {
		e    InputError
		want string
	}{
		{InputError{File: "a.vmx", Line: 12, Key: "vm.genid", Err: base}, "a.vmx:12: vm.genid: not a decimal integer"},
		{InputError{Line: 12, Key: "vm.genid", Err: base}, "line 12: vm.genid: not a decimal integer"},
		{InputError{File: "cmdline", Arg: 4, Err: base}, "cmdline: argument 4: not a decimal integer"},
		{InputError{Err: base}, "not a decimal integer"},
	}
	for _, tc := range tests {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
		if !errors.Is(&tc.e, base) {
			t.Errorf("errors.Is(%q, base) = false", tc.want)
		}
	}
}
