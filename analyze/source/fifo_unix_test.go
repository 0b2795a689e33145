//go:build unix

package source

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

// fifoOf makes a FIFO in a temp dir and writes file's bytes into it from
// a goroutine, as `<(cat file)` would.
func fifoOf(t *testing.T, file string) string {
	t.Helper()
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	go func() {
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		r, err := os.Open(file)
		if err != nil {
			return
		}
		defer r.Close()
		_, _ = io.Copy(w, r)
	}()
	return fifo
}

// TestArchiveFromFIFO: a docker save archive or an OCI archive given as a
// FIFO (process substitution) is read as a stream, as stdin is.
func TestArchiveFromFIFO(t *testing.T) {
	img := testimg.Image(false,
		testimg.Step{CreatedBy: "RUN a", Layer: testimg.Tar(F{Name: "a", Body: "hello"})},
		testimg.Step{CreatedBy: "RUN b", Layer: testimg.Tar(F{Name: ".wh.a"}, F{Name: "b", Body: "bye"})})
	dir := t.TempDir()
	save := testimg.WriteDockerArchive(t, filepath.Join(dir, "save.tar"), map[string]v1Image{"app:1": img})
	ociTar := testimg.TarDir(t, testimg.WriteLayout(t, filepath.Join(dir, "layout"), img, ""), filepath.Join(dir, "oci.tar"), nil)
	o := Options{Layer: layer.BlobOptions{Options: layer.Options{MaxEntries: 100}}}
	for _, tc := range []struct{ transport, file string }{
		{"docker-archive:", save},
		{"oci-archive:", ociTar},
	} {
		got, err := open(t, tc.transport+fifoOf(t, tc.file), o)
		if err != nil {
			t.Fatalf("%s FIFO: %v", tc.transport, err)
		}
		if len(got.Layers) != 2 || got.Layers[0].Preread == nil || got.Layers[1].Preread == nil {
			t.Fatalf("%s FIFO: layers %+v", tc.transport, got.Layers)
		}
		if n := len(got.Layers[1].Preread.Entries); n != 2 {
			t.Errorf("%s FIFO: layer 2 has %d entries", tc.transport, n)
		}
	}
}
