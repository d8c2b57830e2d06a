package libvirt

import (
	"context"
	"errors"
	"fmt"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/genid-migrate/genid-migrate/formats"
	"github.com/genid-migrate/genid-migrate/inventory"
)

func init() {
	for _, s := range Schemes {
		inventory.Register(s, func(_ context.Context, uri string, _ inventory.Options) (inventory.Source, error) {
			c, err := Dial(uri)
			if err != nil {
				return nil, err
			}
			return &Source{c}, nil
		})
	}
}

// A Source is a libvirt host as an inventory: one item per domain, in
// name order. Each domain's definition is read, and a running domain's
// live XML too: when libvirt has given the running guest another ID than
// the definition holds (snapshot revert, restore), the record says so.
type Source struct{ Conn *Conn }

// Items lists the domains.
func (s *Source) Items(_ context.Context, yield func(inventory.Item) bool) error {
	doms, err := s.Conn.Domains()
	if err != nil {
		return err
	}
	for _, d := range doms {
		if !yield(&item{s.Conn, d}) {
			return nil
		}
	}
	return nil
}

// Pick reads one domain's definition by name.
func (s *Source) Pick(_ context.Context, name string) (*formats.Result, error) {
	d, err := s.Conn.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Conn.URI, err)
	}
	x, err := s.Conn.XML(d, false, false)
	if err != nil {
		return nil, err
	}
	return formats.ReadBytes(s.Conn.Path(d.Name), x, formats.ByName(formats.Libvirt))
}

// Close ends the connection.
func (s *Source) Close() error { return s.Conn.Close() }

type item struct {
	c *Conn
	d golibvirt.Domain
}

// Read reads the domain's definition and, if it runs, its live XML.
func (it *item) Read([]byte) inventory.Batch {
	path := it.c.Path(it.d.Name)
	one := func(r *inventory.Record) inventory.Batch { return inventory.Batch{Records: []*inventory.Record{r}} }
	libvirtXML := formats.ByName(formats.Libvirt)
	x, err := it.c.XML(it.d, false, false)
	if errors.Is(err, ErrNoDomain) {
		return one(inventory.ErrorRecord(path, formats.Libvirt, errors.New("the domain was undefined while the audit ran")))
	}
	if err != nil {
		return one(inventory.ErrorRecord(path, formats.Libvirt, err))
	}
	res, rerr := formats.ReadBytes(path, x, libvirtXML)
	rec := inventory.NewRecord(path, res, rerr)
	if !Running(it.d) || res == nil {
		return one(rec)
	}
	lx, err := it.c.XML(it.d, true, false)
	if err != nil {
		if !errors.Is(err, ErrNoDomain) { // stopped and undefined meanwhile: the definition stands
			rec.Message = join(rec.Message, "the live XML could not be read: "+err.Error())
		}
		return one(rec)
	}
	live, lerr := formats.ReadBytes(path+" (live)", lx, libvirtXML)
	switch {
	case live == nil:
		rec.Message = join(rec.Message, "the live XML could not be read: "+lerr.Error())
	case live.ID != res.ID && !live.ID.IsZero():
		rec.LiveGuestBytes, rec.LiveWindows = live.ID.GuestBytes(), live.ID.Windows()
	case live.ID != res.ID:
		rec.Message = join(rec.Message, "the running domain has no generation ID, though its definition has one")
	}
	return one(rec)
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
