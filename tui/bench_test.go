package tui

import (
	"archive/tar"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/internal/tools/testimg"
	"github.com/strata-dev/strata/tui/fstree"
	"github.com/strata-dev/strata/tui/internal/fixture"
)

// bigFiles is the size of the generated image the benchmarks explore.
const bigFiles = 200_000

var (
	bigOnce   sync.Once
	bigResult *analyze.Result
)

// bigTree streams a layer of files from..to under usr/share/pNNN/dNN/,
// 50 files a directory, 1000 a package: a tree five levels deep.
func bigTree(from, to int) tarball.Opener {
	return func() (io.ReadCloser, error) {
		pr, pw := io.Pipe()
		go func() {
			tw := tar.NewWriter(pw)
			body := []byte("0123456789abcdef0123456789abcdef")
			write := func() error {
				for _, d := range []string{"usr/", "usr/share/"} {
					if err := tw.WriteHeader(&tar.Header{Name: d, Typeflag: tar.TypeDir, Mode: 0o755, ModTime: testimg.Epoch}); err != nil {
						return err
					}
				}
				for i := from; i < to; i++ {
					if i == from || i%1000 == 0 {
						if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("usr/share/p%03d/", i/1000), Typeflag: tar.TypeDir, Mode: 0o755, ModTime: testimg.Epoch}); err != nil {
							return err
						}
					}
					if i == from || i%50 == 0 {
						if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("usr/share/p%03d/d%02d/", i/1000, i/50%20), Typeflag: tar.TypeDir, Mode: 0o755, ModTime: testimg.Epoch}); err != nil {
							return err
						}
					}
					n := 1 + i%len(body)
					if err := tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("usr/share/p%03d/d%02d/f%06d.dat", i/1000, i/50%20, i), Typeflag: tar.TypeReg, Mode: 0o644, Size: int64(n), ModTime: testimg.Epoch}); err != nil {
						return err
					}
					if _, err := tw.Write(body[:n]); err != nil {
						return err
					}
				}
				return tw.Close()
			}
			pw.CloseWithError(write())
		}()
		return pr, nil
	}
}

// big analyzes (once per run) a 5-layer image of bigFiles files whose
// last layer deletes a package and rewrites a few files.
func big(b testing.TB) *analyze.Result {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "strata-tui-bench")
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
		img := empty.Image
		per := bigFiles / 4
		for start := 0; start < bigFiles; start += per {
			l, err := tarball.LayerFromOpener(bigTree(start, start+per))
			if err != nil {
				b.Fatal(err)
			}
			if img, err = mutate.Append(img, mutate.Addendum{Layer: l, History: v1.History{CreatedBy: fmt.Sprintf("COPY part %d", start)}}); err != nil {
				b.Fatal(err)
			}
		}
		last := testimg.Layer(testimg.Tar(testimg.File{Name: "usr/share/.wh.p001"}, testimg.File{Name: "usr/share/p002/d00/f002000.dat", Body: "changed"}), true)
		if img, err = mutate.Append(img, mutate.Addendum{Layer: last, History: v1.History{CreatedBy: "RUN cleanup"}}); err != nil {
			b.Fatal(err)
		}
		p, err := layout.Write(filepath.Join(dir, "img"), empty.Index)
		if err != nil {
			b.Fatal(err)
		}
		if err := p.AppendImage(img); err != nil {
			b.Fatal(err)
		}
		bigResult = fixture.Ref(b, "oci:"+filepath.Join(dir, "img"))
	})
	if bigResult == nil {
		b.Skip("the big image could not be made")
	}
	return bigResult
}

// BenchmarkKeyToFrame is the target: a key press's Update plus the
// View of the next frame, on a 200,000-file tree at 160x48, fully
// expanded, cycling through navigation, collapse and expand.
func BenchmarkKeyToFrame(b *testing.B) {
	m := loaded(b, FromResult(big(b)), 160, 48)
	press(b, m, "tab")
	seq := keys("j j pgdown space space end pgup home l h G k g")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, cmd := m.Update(seq[i%len(seq)])
		_ = m.View()
		if cmd != nil { // expanding a big directory: flattened in a job
			b.StopTimer()
			drive(b, m, cmd())
			b.StartTimer()
		}
	}
}

// BenchmarkJobs times what runs in tea.Cmds on the same tree, one frame
// each when the result arrives.
func BenchmarkJobs(b *testing.B) {
	r := big(b)
	ix := fstree.NewIndex(r)
	last := len(r.Layers) - 1
	l := fstree.Build(ix, last)
	all, _ := l.Keep(fstree.Filter{})
	b.Run("build-layer", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			fstree.Build(ix, last)
		}
	})
	b.Run("sort-by-size", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			l.SizeOrder(false)
		}
	})
	b.Run("search-substring", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ix.Match(fstree.Compile("d07/f0"))
		}
	})
	b.Run("search-glob", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ix.Match(fstree.Compile("f1*7.dat"))
		}
	})
	b.Run("filter", func(b *testing.B) {
		f := fstree.Filter{}
		f.Hide[fstree.Unchanged] = true
		for i := 0; i < b.N; i++ {
			l.Keep(f)
		}
	})
	b.Run("flatten", func(b *testing.B) {
		c := fstree.NewCollapsed(ix.Paths())
		for i := 0; i < b.N; i++ {
			l.Rows(nil, all, c)
		}
	})
}

// BenchmarkSettingToFrame is a key that starts a job (sort here): Update,
// the job, applying its result, and the frame.
func BenchmarkSettingToFrame(b *testing.B) {
	m := loaded(b, FromResult(big(b)), 160, 48)
	press(b, m, "tab")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		drive(b, m, keys("o")...) // changes only and back: filter, flatten
		_ = m.View()
	}
}

// TestKeyLatency200k measures, per key, the slowest key-to-frame on the
// big tree: the frame Update and View give at once, and the frame after
// the key's job (if it starts one) has run and been applied.
// STRATA_TUI_BIG=1 go test ./tui -run KeyLatency -v
func TestKeyLatency200k(t *testing.T) {
	if os.Getenv("STRATA_TUI_BIG") == "" {
		t.Skip("set STRATA_TUI_BIG=1 to measure on a 200,000-file image")
	}
	m := loaded(t, FromResult(big(t)), 160, 48)
	press(t, m, "tab")
	type worst struct{ now, done time.Duration }
	w := map[string]*worst{}
	var order []string
	seq := keys("j j pgdown space space end pgup home G k g l h s s o o U U c e / d 0 7 enter esc shift+tab k k j j tab")
	for round := 0; round < 10; round++ {
		for _, k := range seq {
			start := time.Now()
			_, cmd := m.Update(k)
			_ = m.View()
			now := time.Since(start)
			// Run the key's job and apply its result; what that result
			// starts in turn (prefetching neighbours) runs after the frame.
			var next tea.Cmd
			for cmd != nil {
				msg := cmd()
				if b, ok := msg.(tea.BatchMsg); ok {
					cmd, next = b[0], tea.Batch(b[1:]...)
					continue
				}
				_, cmd = m.Update(msg)
				if _, ok := msg.(treeJobMsg); ok {
					next, cmd = tea.Batch(next, cmd), nil
				}
			}
			_ = m.View()
			done := time.Since(start)
			if next != nil {
				drive(t, m, next())
			}
			name := k.(tea.KeyMsg).String()
			if w[name] == nil {
				w[name] = &worst{}
				order = append(order, name)
			}
			w[name].now, w[name].done = max(w[name].now, now), max(w[name].done, done)
		}
	}
	t.Logf("%d paths, %d rows shown at the end", m.ix.fs.Paths(), len(m.tree.cur.rows))
	for _, name := range order {
		t.Logf("%-9q key to frame %8v   with its job %8v", name, w[name].now.Round(time.Microsecond), w[name].done.Round(time.Microsecond))
	}
}
