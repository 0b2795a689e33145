package analyze

import (
	"bytes"
	"context"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/analyze/source"
	"github.com/strata-dev/strata/internal/tools/testimg"
)

// FuzzStack feeds up to three arbitrary layer tars (split at "|||") to the
// whole analyzer: no panic, and the books must balance.
func FuzzStack(f *testing.F) {
	sep := []byte("|||")
	f.Add(bytes.Join([][]byte{
		testimg.Tar(F{Name: "a/", Type: '5'}, F{Name: "a/x", Body: "xx"}, F{Name: "h", Type: '1', Link: "a/x"}, F{Name: "f", Body: "1"}),
		testimg.Tar(F{Name: "a/.wh..wh..opq"}, F{Name: ".wh.f"}, F{Name: "f/", Type: '5'}, F{Name: "h", Type: '1', Link: "h"}),
		testimg.Tar(F{Name: ".wh.a"}, F{Name: "a", Body: "now a file"}, F{Name: "x/y/z", Body: "deep"}),
	}, sep))
	f.Fuzz(func(t *testing.T, data []byte) {
		img := &source.Image{Config: &v1.ConfigFile{}}
		for _, part := range bytes.SplitN(data, sep, 3) {
			img.Layers = append(img.Layers, source.Layer{Size: int64(len(part)), Open: func() (layer.Blob, error) {
				return layer.Blob{RA: bytes.NewReader(part), Size: int64(len(part))}, nil
			}})
		}
		r, err := Analyze(context.Background(), img, Options{MaxEntries: 2000})
		if err != nil {
			return
		}
		if r.Figures.FinalSize != r.Figures.TotalSize-r.Figures.Wasted {
			t.Fatalf("final %d != total %d - wasted %d", r.Figures.FinalSize, r.Figures.TotalSize, r.Figures.Wasted)
		}
		for k := range r.Layers {
			r.View(k).Sizes()
		}
		if want := refDive(r); !sameDive(r.Dive, want) {
			t.Fatalf("dive = %+v, dive's own algorithm gives %+v", r.Dive, want)
		}
	})
}

func sameDive(a, b DiveMetrics) bool {
	same := func(x, y float64) bool { return x == y || x != x && y != y }
	return same(a.Efficiency, b.Efficiency) && a.WastedBytes == b.WastedBytes &&
		a.UserSizeBytes == b.UserSizeBytes && same(a.UserWastedPercent, b.UserWastedPercent)
}
