package layer

import (
	"bytes"
	"testing"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

func sameEntries(t *testing.T, data []byte) {
	t.Helper()
	want, werr := Read(bytes.NewReader(data), Options{MaxEntries: 1000})
	got, gerr := Skim(bytes.NewReader(data), int64(len(data)), Options{MaxEntries: 1000})
	if werr != nil {
		return // archive/tar refuses it; skimming may or may not
	}
	if gerr != nil {
		t.Fatalf("archive/tar reads it, Skim fails: %v", gerr)
	}
	if len(got.Entries) != len(want.Entries) {
		t.Fatalf("Skim found %d entries, archive/tar %d\n got %+v\nwant %+v", len(got.Entries), len(want.Entries), got.Entries, want.Entries)
	}
	for i := range want.Entries {
		g, w := got.Entries[i], want.Entries[i]
		if g.Sparse || w.Sparse {
			g.Offset, w.Offset = 0, 0
		}
		if g != w {
			t.Fatalf("entry %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func TestSkimMatchesArchiveTar(t *testing.T) {
	for _, data := range skimSeeds(t) {
		sameEntries(t, data)
	}
}

// FuzzSkim holds the header skimmer to archive/tar: whatever archive/tar
// reads, Skim must read the same way.
func FuzzSkim(f *testing.F) {
	for _, s := range skimSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { sameEntries(t, data) })
}

func skimSeeds(t testing.TB) [][]byte {
	long := string(bytes.Repeat([]byte("d/"), 80)) + "f"
	return [][]byte{
		testimg.Tar(F{Name: "a/", Type: '5'}, F{Name: "a/.wh..wh..opq"}, F{Name: "a/b", Body: "hello"}, F{Name: "l", Type: '1', Link: "a/b"}),
		testimg.Tar(F{Name: long, Body: "x"}, F{Name: "s", Type: '2', Link: long}),
		testimg.Tar(F{Name: long, Body: "pax", PAX: true}, F{Name: "z", Body: string(make([]byte, 3000)), UID: 1 << 22}),
		{},
	}
}
