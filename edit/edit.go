// Package edit is the policy every rewrite follows, whatever the document:
// when an edit is refused, when it needs --force, what is said before and
// after it, and how the file is replaced. A kind of document ([Kind]) says
// only how to read what its guest sees now, how to set the ID, and how to
// read the result back; the first is the libvirt domain ([Libvirt]).
//
// The rules: a document that already gives its guest the source's ID is
// left alone; one that gives another ID, or that needs converting first,
// is changed only with --force ([*ForceError], exit 1); every edit changes
// only the bytes of the ID and is read back and checked before anything is
// written; files are replaced atomically, refused if changed meanwhile.
package edit

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/genid-migrate/genid-migrate/genid"
	"github.com/genid-migrate/genid-migrate/internal/atomicfile"
	"github.com/genid-migrate/genid-migrate/internal/udiff"
)

// A Kind is a kind of document rewrite can change.
type Kind struct {
	Name    string // for messages, such as "libvirt domain"
	Noun    string // the document in a sentence, such as "domain"
	Element string // what holds the ID, for messages, such as "<genid>"
	Holds   string // the verb for Element: "holds", or "hold" for two keys
	// Spell writes an ID as the document holds it, for messages.
	Spell func(genid.ID) string

	// Inspect reads what the document gives its guest now. An error
	// refuses the edit, unless it is a *FixableError and --force is given.
	Inspect func(doc []byte) (*State, error)
	// Set returns doc with the ID set, changing only the bytes of the
	// returned Span.
	Set func(doc []byte, id genid.ID) ([]byte, Span, error)
	// Carried reads an edited document back: the ID its guest will see.
	Carried func(doc []byte) (genid.ID, error)
	// Also returns the other files an edit of the file at path changes
	// with it (an OVF's manifest), and what to say about them; nil when
	// there are none. An error refuses the edit.
	Also func(path string, before, after []byte) ([]FileChange, []string, error)
}

// A FileChange is another file an edit changes with its document, such as
// the manifest that lists an OVF descriptor's digest.
type FileChange struct {
	Path          string
	Before, After []byte
}

// State is what a document gives its guest before the edit.
type State struct {
	Current  genid.ID // what the guest sees now, read as the target runs it; zero if none
	Line     int      // where the ID is, 0 if there is none
	Force    string   // why this document needs --force whatever it holds, "" if it does not
	Warnings []string // said whenever the document is edited
}

// A Span is the one change an edit makes: the bytes [Start, OldEnd) of the
// document became [Start, NewEnd) of the result.
type Span struct {
	Start, OldEnd, NewEnd int64
	Line                  int  // the line of the ID in the result
	Inserted              bool // the element was absent and was inserted
}

// A FixableError is a problem with the ID's own element that --force
// overwrites, such as a malformed value.
type FixableError struct{ Err error }

func (e *FixableError) Error() string { return e.Err.Error() + "; --force replaces it" }
func (e *FixableError) Unwrap() error { return e.Err }

// A ForceError refuses an edit that --force would make: the document
// holds a different ID, or must be converted first. It is a finding
// (exit 1), not a malformed input.
type ForceError struct{ Msg string }

func (e *ForceError) Error() string { return e.Msg }

// Action is what an edit does.
type Action string

// The actions, as rewrite --json reports them.
const (
	Unchanged Action = "unchanged"
	Replace   Action = "replace"
	Insert    Action = "insert"
)

// A Plan is an edit worked out and checked, not yet written.
type Plan struct {
	Kind     *Kind
	Document string   // the document's name for messages
	Source   string   // where the ID came from
	Action   Action   // what the edit does
	Line     int      // the ID's line: in the result, or as it is when unchanged
	Old      genid.ID // what the guest saw before; zero if nothing
	New      genid.ID // the source's ID
	Before   []byte   // the document as read
	After    []byte   // the document as it would be written
	Also     []FileChange
	Warnings []string
}

// Options shape [PrepareWith].
type Options struct {
	// Force replaces a different existing ID, a malformed element and a
	// document that needs converting.
	Force bool
	// Explain, if set, says how an existing ID came from the source's
	// by a known wrong conversion ("" when it did not): such an ID is the
	// source's, misspelt, and is replaced without Force, with the
	// explanation as a warning.
	Explain func(source, existing genid.ID) string
}

// Prepare works out the edit that makes doc (named name) give its guest
// id, read from source. With force, a different existing ID, a malformed
// element and a document that needs converting are replaced too.
func Prepare(k *Kind, name string, doc []byte, id genid.ID, source string, force bool) (*Plan, error) {
	return PrepareWith(k, name, doc, id, source, Options{Force: force})
}

// PrepareWith is [Prepare] with options.
func PrepareWith(k *Kind, name string, doc []byte, id genid.ID, source string, opt Options) (*Plan, error) {
	force := opt.Force
	st, err := k.Inspect(doc)
	var fe *FixableError
	switch {
	case errors.As(err, &fe) && force && st != nil:
	case err != nil:
		return nil, genid.WithFile(err, name)
	}
	if st.Force != "" && !force {
		return nil, &ForceError{fmt.Sprintf("%s: %s. Convert the %s first, or use --force", name, st.Force, k.Noun)}
	}
	p := &Plan{Kind: k, Document: name, Source: source, New: id, Before: doc, After: doc, Line: st.Line, Old: st.Current, Warnings: st.Warnings}
	if st.Current == id {
		p.Action = Unchanged
		return p, nil
	}
	if !st.Current.IsZero() && !force && opt.Explain != nil {
		if why := opt.Explain(id, st.Current); why != "" {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s:%d: %s held the source's ID, misspelt: %s; replaced without --force", name, st.Line, k.Element, why))
			force = true
		}
	}
	if !st.Current.IsZero() && !force {
		return nil, &ForceError{fmt.Sprintf("%s:%d: %s already %s a different generation ID\n"+
			"  now:    %s  (the guest sees %s)\n"+
			"  source: %s  (the guest would see %s, from %s)\n"+
			"Replacing it changes what the guest sees; use --force if that is intended.",
			name, st.Line, k.Element, k.Holds, k.Spell(st.Current), st.Current.Windows(), k.Spell(id), id.Windows(), source)}
	}
	out, span, err := k.Set(doc, id)
	if err != nil {
		return nil, genid.WithFile(err, name)
	}
	if err := check(k, doc, out, span, id); err != nil {
		return nil, fmt.Errorf("%s: the edited %s failed its check, nothing was written: %w", name, k.Name, err)
	}
	p.After, p.Line, p.Action = out, span.Line, Replace
	if span.Inserted {
		p.Action = Insert
	}
	if k.Also != nil && name != "<stdin>" {
		also, warnings, err := k.Also(name, doc, out)
		if err != nil {
			return nil, fmt.Errorf("%w; nothing was written", err)
		}
		p.Also, p.Warnings = also, append(p.Warnings, warnings...)
	}
	return p, nil
}

// check reads the edited document back: it must carry id, and differ
// from doc only inside the span.
func check(k *Kind, doc, out []byte, s Span, id genid.ID) error {
	if s.Start < 0 || s.Start > s.OldEnd || s.Start > s.NewEnd || s.OldEnd > int64(len(doc)) || s.NewEnd > int64(len(out)) ||
		!bytes.Equal(out[:s.Start], doc[:s.Start]) || !bytes.Equal(out[s.NewEnd:], doc[s.OldEnd:]) {
		return errors.New("bytes outside the ID's element changed")
	}
	got, err := k.Carried(out)
	if err != nil {
		return fmt.Errorf("the result does not read back: %w", err)
	}
	if got != id {
		return fmt.Errorf("the result carries %s, not %s", got, id)
	}
	return nil
}

// Changed reports whether the plan changes the document.
func (p *Plan) Changed() bool { return !bytes.Equal(p.Before, p.After) }

// Tense is when a plan's description speaks of the edit.
type Tense int

// The tenses of [Plan.Describe].
const (
	Will  Tense = iota // what rewrite does (--check, plain output)
	Would              // what it would do (--dry-run)
	Done               // what it did (--in-place)
)

// Describe says what the plan does, in one line, in the tense given:
//
//	dom.xml: insert <genid>…</genid> on line 5 (the guest will see …)
//	dom.xml:5: would replace <genid> with … (the guest will see …)
//	dom.xml: <genid> already gives the guest …; nothing to change
func (p *Plan) Describe(t Tense) string {
	verb := map[Action][3]string{Insert: {"insert", "would insert", "inserted"}, Replace: {"replace", "would replace", "replaced"}}[p.Action][t]
	var s string
	switch p.Action {
	case Unchanged:
		gives := "gives"
		if p.Kind.Holds == "hold" {
			gives = "give"
		}
		return fmt.Sprintf("%s: %s already %s the guest %s; nothing to change", p.Document, p.Kind.Element, gives, p.New.Windows())
	case Insert:
		s = fmt.Sprintf("%s: %s %s on line %d (the guest will see %s)", p.Document, verb, p.inserted(), p.Line, p.New.Windows())
	default:
		s = fmt.Sprintf("%s:%d: %s %s with %s (the guest will see %s)", p.Document, p.Line, verb, p.Kind.Element, p.Kind.Spell(p.New), p.New.Windows())
	}
	for _, f := range p.Also {
		s += "; " + [3]string{"and update ", "and would update ", "updated "}[t] + f.Path
	}
	return s
}

// inserted is the inserted element as written, for messages.
func (p *Plan) inserted() string {
	if p.Kind.Element == "<genid>" {
		return "<genid>" + p.New.GUID() + "</genid>"
	}
	return p.Kind.Element
}

// Diff returns the unified diff of the edit, labelled with the document's
// name.
func (p *Plan) Diff() string { return udiff.Diff(p.Document, p.Document, p.Before, p.After) }

// Write replaces the file at path with the edited document, atomically,
// first saving the original to path plus backupSuffix if that is not
// empty. It refuses if the file no longer holds what was read. It returns
// the backup's path, if one was written; an unchanged plan writes nothing.
func (p *Plan) Write(path, backupSuffix string) (backup string, err error) {
	if !p.Changed() {
		return "", nil
	}
	res, err := atomicfile.Replace(path, p.Before, p.After, backupSuffix)
	p.noteRemoved(res.Removed)
	if res.Owner != "" {
		p.Warnings = append(p.Warnings, res.Owner)
	}
	if err != nil {
		return "", err
	}
	for _, f := range p.Also {
		r, err := atomicfile.Replace(f.Path, f.Before, f.After, backupSuffix)
		p.noteRemoved(r.Removed)
		if err != nil {
			return res.Backup, fmt.Errorf("%s was written, but not %s: %w", path, f.Path, err)
		}
	}
	return res.Backup, nil
}

// noteRemoved says which leftovers of a killed run were removed.
func (p *Plan) noteRemoved(paths []string) {
	for _, r := range paths {
		p.Warnings = append(p.Warnings, "removed "+r+", a temporary file left by an earlier run that was interrupted")
	}
}
