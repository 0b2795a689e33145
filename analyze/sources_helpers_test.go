package analyze

import (
	"encoding/json"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

type v1Image = v1.Image

type testimgImage struct{ Image v1.Image }

func configPath(t *testing.T, img v1.Image) string {
	d, err := img.ConfigName()
	if err != nil {
		t.Fatal(err)
	}
	return "blobs/sha256/" + d.Hex
}

func layerPaths(t *testing.T, img v1.Image) string {
	ls, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var ps []string
	for _, l := range ls {
		d, err := l.Digest()
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, "blobs/sha256/"+d.Hex)
	}
	b, _ := json.Marshal(ps)
	return string(b)
}
