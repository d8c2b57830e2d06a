package main

import (
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// TestInterspersed: for every command and every one of its flags, the
// flag written after an argument is moved in front of it, with its value
// when it takes one; "--" still ends the flags and "-" stays an argument.
func TestInterspersed(t *testing.T) {
	var j bool
	app := newApp(strings.NewReader(""), io.Discard, io.Discard, &j)
	for _, cmd := range app.Commands {
		for _, f := range cmd.Flags {
			_, isBool := f.(*cli.BoolFlag)
			for _, name := range f.Names() {
				flag := []string{"--" + name}
				if !isBool {
					flag = append(flag, "VALUE")
				}
				typed := append([]string{"genid-migrate", cmd.Name, "a.vmx"}, append(flag, "-", "b.xml")...)
				want := append(append([]string{"genid-migrate", cmd.Name}, flag...), "a.vmx", "-", "b.xml")
				if got := interspersed(app, typed); !slices.Equal(got, want) {
					t.Errorf("%s --%s: %q, want %q", cmd.Name, name, got, want)
				}
			}
		}
	}
	for _, tc := range []struct{ in, want []string }{
		{[]string{"g", "show", "x.vmx", "--json"}, []string{"g", "show", "--json", "x.vmx"}},
		{[]string{"g", "rewrite", "dom.xml", "--from", "x.vmx", "--in-place"}, []string{"g", "rewrite", "--from", "x.vmx", "--in-place", "dom.xml"}},
		{[]string{"g", "show", "--", "--json"}, []string{"g", "show", "--", "--json"}},
		{[]string{"g", "show", "a", "--", "--json", "--to"}, []string{"g", "show", "--", "a", "--json", "--to"}},
		{[]string{"g", "convert", "x", "--to=qemu"}, []string{"g", "convert", "--to=qemu", "x"}},
		{[]string{"g", "convert", "--vmx", "-1:-2", "--to", "qemu"}, []string{"g", "convert", "--vmx", "-1:-2", "--to", "qemu"}},
		{[]string{"g", "nope", "x", "--json"}, []string{"g", "nope", "x", "--json"}},
		{[]string{"g", "--help"}, []string{"g", "--help"}},
	} {
		if got := interspersed(app, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	for _, tc := range []struct {
		s    string
		c    []string
		want string
	}{
		{"shwo", []string{"show", "convert"}, `"show"`},
		{"qemmu", []string{"qemu", "libvirt"}, `"qemu"`},
		{"proxmx", []string{"proxmox", "qemu"}, `"proxmox"`},
		{"zzz", []string{"show", "convert"}, ""},
		{"libvirt-vmx", []string{"libvirt", "libvirt-vmware"}, `"libvirt-vmware"`},
	} {
		got := didYouMean(tc.s, tc.c)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("didYouMean(%q) = %q, want %s", tc.s, got, tc.want)
		}
	}
}
