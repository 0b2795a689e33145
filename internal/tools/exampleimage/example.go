// Package exampleimage generates the small image shipped in
// testdata/images/example: an OCI layout, a few hundred KB, with real
// waste (package lists left behind, a file added then deleted, a chmod-only
// re-add, a secret removed too late) on top of a two-layer base image whose
// manifest sits in the same layout, named by the base annotations.
// Everything is fixed (times, contents, order), so the bytes are stable.
package exampleimage

import (
	"fmt"
	"math/rand/v2"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/strata-dev/strata/internal/tools/testimg"
)

type F = testimg.File

// noise is deterministic incompressible content.
func noise(seed uint64, n int) string {
	r := rand.New(rand.NewPCG(seed, 42))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return string(b)
}

// packages is a Debian-like package list.
func packages(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Package: lib%04d\nVersion: 1.%d-%d\nArchitecture: amd64\nSize: %d\n\n", i, i%7, i%3, 1000+i*13)
	}
	return b.String()
}

// Base is the base image: a tiny root file system and a tools layer.
func Base() v1.Image {
	return testimg.Image(true,
		testimg.Step{CreatedBy: "ADD rootfs.tar /", Layer: testimg.Tar(
			F{Name: "bin/", Type: '5'}, F{Name: "bin/busybox", Body: noise(1, 40_000), Mode: 0o755},
			F{Name: "bin/sh", Type: '1', Link: "bin/busybox"},
			F{Name: "bin/su", Body: noise(2, 6_000), Mode: 0o4755},
			F{Name: "etc/", Type: '5'}, F{Name: "etc/passwd", Body: "root:x:0:0:root:/root:/bin/sh\n"},
			F{Name: "etc/os-release", Body: "NAME=strata-example\n"},
			F{Name: "tmp/", Type: '5', Mode: 0o1777}, F{Name: "var/", Type: '5'}, F{Name: "var/lib/", Type: '5'})},
		testimg.Step{CreatedBy: "RUN install-tools", Layer: testimg.Tar(
			F{Name: "usr/", Type: '5'}, F{Name: "usr/bin/", Type: '5'}, F{Name: "usr/bin/tool", Body: noise(3, 20_000), Mode: 0o755},
			F{Name: "usr/share/doc/tool/README", Body: strings.Repeat("tool documentation\n", 200)})},
		testimg.Step{CreatedBy: `CMD ["sh"]`},
	)
}

// App is the example image built FROM Base.
func App(base v1.Image) (v1.Image, error) {
	app := testimg.Image(true,
		testimg.Step{CreatedBy: "RUN apt-get update && apt-get install -y curl", Layer: testimg.Tar(
			F{Name: "var/lib/apt/", Type: '5'}, F{Name: "var/lib/apt/lists/", Type: '5'},
			F{Name: "var/lib/apt/lists/lock"},
			F{Name: "var/lib/apt/lists/deb.example.org_dists_stable_main_binary-amd64_Packages", Body: packages(900)},
			F{Name: "usr/bin/curl", Body: noise(4, 15_000), Mode: 0o755})},
		testimg.Step{CreatedBy: "COPY release.tar.gz app.env /tmp/", Layer: testimg.Tar(
			F{Name: "tmp/", Type: '5', Mode: 0o1777}, F{Name: "tmp/release.tar.gz", Body: noise(5, 90_000)},
			F{Name: "tmp/app.env", Body: "API_TOKEN=not-a-real-token\n"})},
		testimg.Step{CreatedBy: "RUN tar -xzf /tmp/release.tar.gz -C /opt && rm /tmp/release.tar.gz /tmp/app.env", Layer: testimg.Tar(
			F{Name: "opt/", Type: '5'}, F{Name: "opt/app/", Type: '5'}, F{Name: "opt/app/server", Body: noise(6, 30_000)},
			F{Name: "opt/app/data/", Type: '5', Mode: 0o777},
			F{Name: "tmp/.wh.release.tar.gz"}, F{Name: "tmp/.wh.app.env"})},
		testimg.Step{CreatedBy: "RUN chmod +x /opt/app/server", Layer: testimg.Tar(
			F{Name: "opt/app/server", Body: noise(6, 30_000), Mode: 0o755})},
		testimg.Step{CreatedBy: `ENTRYPOINT ["/opt/app/server"]`},
	)
	return rebase(base, app)
}

// rebase puts app's layers and history on top of base.
func rebase(base, app v1.Image) (v1.Image, error) {
	img := base
	acf, err := app.ConfigFile()
	if err != nil {
		return nil, err
	}
	ls, err := app.Layers()
	if err != nil {
		return nil, err
	}
	li := 0
	for _, h := range acf.History {
		add := mutate.Addendum{History: h}
		if !h.EmptyLayer {
			add.Layer = ls[li]
			add.MediaType = types.OCILayer
			li++
			if img, err = mutate.Append(img, add); err != nil {
				return nil, err
			}
			continue
		}
		cf, err := img.ConfigFile()
		if err != nil {
			return nil, err
		}
		cf = cf.DeepCopy()
		cf.History = append(cf.History, h)
		if img, err = mutate.ConfigFile(img, cf); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// Write generates the layout into dir (which must not exist yet or be
// empty).
func Write(dir string) error {
	base := Base()
	app, err := App(base)
	if err != nil {
		return err
	}
	bd, err := base.Digest()
	if err != nil {
		return err
	}
	app = mutate.Annotations(app, map[string]string{
		"org.opencontainers.image.base.name":   "strata.example/base:1",
		"org.opencontainers.image.base.digest": bd.String(),
		"org.opencontainers.image.title":       "strata example",
	}).(v1.Image)
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		return err
	}
	if err := p.WriteImage(base); err != nil { // blobs only: found by digest
		return err
	}
	return p.AppendImage(app, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": "latest"}))
}
