package layer

import (
	"archive/tar"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

type F = testimg.File

func TestReadNormalizesAndClassifies(t *testing.T) {
	tarb := testimg.Tar(F{Name: "./", Type: '5'}, F{Name: "./a/", Type: '5'}, F{Name: "./a/.wh..wh..opq"}, F{Name: "a/.wh.gone"},
		F{Name: "a/.wh..wh.plnk/123"}, F{Name: "/abs", Body: "x"}, F{Name: "../up", Body: "y"},
		F{Name: "l", Type: '1', Link: "./abs"}, F{Name: "s", Type: '2', Link: "/etc/x"}, F{Name: "fifo", Type: '6'})
	for _, seek := range []bool{false, true} {
		var res *Result
		var err error
		if seek {
			res, err = Read(NewSection(bytes.NewReader(tarb), 0, int64(len(tarb))), Options{})
		} else {
			res, err = Read(bytes.NewReader(tarb), Options{HashContent: true})
		}
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range res.Entries {
			got = append(got, e.Type.String()+":"+e.Path+":"+e.Link)
		}
		want := "dir:a: opaque:a: whiteout:a/gone: file:abs: hardlink:l:abs symlink:s:/etc/x fifo:fifo:"
		if strings.Join(got, " ") != want {
			t.Errorf("seek=%v: entries\n got %s\nwant %s", seek, strings.Join(got, " "), want)
		}
		if w := strings.Join(res.Warnings, "\n"); !strings.Contains(w, "absolute") || !strings.Contains(w, "escapes") {
			t.Errorf("warnings = %q", w)
		}
	}
}

func TestSkimmingFindsContentOffsets(t *testing.T) {
	tarb := testimg.Tar(F{Name: "big", Body: strings.Repeat("z", 100_000)}, F{Name: "small", Body: "hello"})
	res, err := Read(NewSection(bytes.NewReader(tarb), 0, int64(len(tarb))), Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := res.Entries[1]
	if got := string(tarb[e.Offset : e.Offset+e.Size]); got != "hello" {
		t.Errorf("offset points at %q", got)
	}
	h1, _ := HashAt(bytes.NewReader(tarb), e.Offset, e.Size)
	streamed, _ := Read(bytes.NewReader(tarb), Options{HashContent: true})
	if !streamed.Entries[1].Hashed || streamed.Entries[1].Hash != h1 {
		t.Error("lazy hash differs from streamed hash")
	}
}

func TestMaxEntries(t *testing.T) {
	var files []F
	for i := 0; i < 50; i++ {
		files = append(files, F{Name: "f" + strings.Repeat("x", i), Body: "1"})
	}
	_, err := Read(bytes.NewReader(testimg.Tar(files...)), Options{MaxEntries: 10})
	if !errors.Is(err, ErrTooManyEntries) {
		t.Errorf("err = %v, want too many entries", err)
	}
}

func TestTruncatedAndHugeEntries(t *testing.T) {
	tarb := testimg.Tar(F{Name: "a", Body: strings.Repeat("q", 5000)})
	cut := tarb[:2000]
	for _, seek := range []bool{false, true} {
		var err error
		if seek {
			_, err = Read(NewSection(bytes.NewReader(cut), 0, int64(len(cut))), Options{})
		} else {
			_, err = Read(bytes.NewReader(cut), Options{HashContent: true})
		}
		if err == nil {
			t.Errorf("seek=%v: truncated layer read without error", seek)
		}
	}
	// A header claiming a petabyte of content: an error, not a hang.
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	tw.WriteHeader(&tar.Header{Name: "huge", Typeflag: tar.TypeReg, Size: 1 << 50, Mode: 0o644})
	_, err := Read(bytes.NewReader(buf.Bytes()), Options{HashContent: true})
	if err == nil {
		t.Error("huge truncated entry read without error")
	}
}

func TestSparseFilesAreNeverRead(t *testing.T) {
	// A PAX 1.0 sparse file of a petabyte holding 5 real bytes.
	sparseMap := "1\n0\n5\n"
	data := sparseMap + strings.Repeat("\x00", 512-len(sparseMap)) + "hello"
	pax := paxRecord("GNU.sparse.major", "1") + paxRecord("GNU.sparse.minor", "0") +
		paxRecord("GNU.sparse.name", "huge") + paxRecord("GNU.sparse.realsize", "1125899906842624000")
	var buf bytes.Buffer
	buf.Write(rawHeader("PaxHeaders/huge", 'x', len(pax)))
	buf.Write(pad(pax))
	buf.Write(rawHeader("GNUSparseFile.0/huge", '0', len(data)))
	buf.Write(pad(data))
	buf.Write(testimg.Tar(F{Name: "after", Body: "!"}))
	for _, seek := range []bool{false, true} {
		var res *Result
		var err error
		if seek {
			res, err = Read(NewSection(bytes.NewReader(buf.Bytes()), 0, int64(buf.Len())), Options{})
		} else {
			res, err = Read(bytes.NewReader(buf.Bytes()), Options{HashContent: true})
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Entries) != 2 || res.Entries[0].Path != "huge" || !res.Entries[0].Sparse || res.Entries[0].Hashed || res.Entries[0].Size != maxAccountedSize {
			t.Errorf("seek=%v: entries = %+v", seek, res.Entries)
		}
	}
}

func TestCorruptCompressedBlobs(t *testing.T) {
	tarb := testimg.Tar(F{Name: "a", Body: noise(20000)})
	for name, blob := range map[string][]byte{
		"gzip truncated": half(gz(t, tarb)),
		"gzip corrupt":   corrupt(gz(t, tarb)),
		"zstd truncated": half(zst(t, tarb)),
		"zstd corrupt":   corrupt(zst(t, tarb)),
	} {
		_, err := ReadBlob(Blob{R: bytes.NewReader(blob), Size: -1}, BlobOptions{})
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	_, err := ReadBlob(Blob{R: bytes.NewReader(gz(t, tarb)), Size: -1}, BlobOptions{Digest: "sha256:" + strings.Repeat("0", 64)})
	if err == nil || !strings.Contains(err.Error(), "digest mismatch") {
		t.Errorf("digest mismatch: err = %v", err)
	}
}
