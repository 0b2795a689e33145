package layer

import (
	"bytes"
	"testing"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

// FuzzReadBlob feeds arbitrary bytes to the layer reader, both as a stream
// (hashing content, decompressing) and skimmed by seeking: it must never
// panic, and must stay within its entry bound.
func FuzzReadBlob(f *testing.F) {
	seeds := [][]byte{
		testimg.Tar(F{Name: "a/", Type: '5'}, F{Name: "a/.wh..wh..opq"}, F{Name: "a/.wh.b"}, F{Name: "a/c", Body: "hello"},
			F{Name: "h", Type: '1', Link: "a/c"}, F{Name: "s", Type: '2', Link: "../../x"}, F{Name: "./long/" + string(bytes.Repeat([]byte("n"), 200)), Body: "p", PAX: true}),
		testimg.Tar(F{Name: "../escape", Body: "x"}, F{Name: "/abs", Body: "y"}, F{Name: "id_rsa", Body: "-----BEGIN RSA PRIVATE KEY-----\n"}),
		{}, make([]byte, 1024),
	}
	for _, s := range seeds[:2] {
		seeds = append(seeds, gz(f, s), zst(f, s))
	}
	for _, s := range seeds {
		f.Add(s)
	}
	sniff := func(string, int64) bool { return true }
	f.Fuzz(func(t *testing.T, data []byte) {
		opts := BlobOptions{Options: Options{MaxEntries: 1000, Sniff: sniff}}
		if res, err := ReadBlob(Blob{R: bytes.NewReader(data), Size: -1}, opts); err == nil && len(res.Entries) > 1000 {
			t.Fatalf("%d entries", len(res.Entries))
		}
		ReadBlob(Blob{RA: bytes.NewReader(data), Size: int64(len(data))}, opts)
	})
}
