package analyze

import (
	"context"
	"fmt"
	"io"
	"runtime"

	"github.com/strata-dev/strata/analyze/layer"
	"github.com/strata-dev/strata/analyze/source"
)

// Options control Analyze.
type Options struct {
	// Verify reads every byte of every layer to check its digests, even
	// uncompressed layers that are otherwise skimmed by seeking.
	Verify bool
	// MaxEntries bounds the entries of the whole image (memory).
	MaxEntries int
	// Base is the image given with --base, if any.
	Base *BaseImage
	// Progress receives per-layer progress; it may be called from several
	// goroutines at once.
	Progress func(Progress)
	// Workers is how many layers are read at once (0: one per CPU, at most 4).
	Workers int
}

// Progress reports reading of one layer.
type Progress struct {
	Layer, Layers int
	Digest        string
	Bytes         int64 // blob bytes read so far
	Total         int64 // blob size, -1 if unknown
	Done          bool
}

// LayerOptions are the reader options Analyze uses, for sources that read
// layers while opening (streamed archives).
func LayerOptions(o Options) layer.BlobOptions {
	max := o.MaxEntries
	if max <= 0 {
		max = layer.DefaultMaxEntries
	}
	return layer.BlobOptions{Options: layer.Options{MaxEntries: max, Sniff: SecretCandidate}, Verify: o.Verify}
}

// Analyze reads every layer of img and computes the result.
func Analyze(ctx context.Context, img *source.Image, o Options) (*Result, error) {
	r := &Result{Image: ImageInfo{Source: img.Source, Transport: img.Transport, Name: img.Name, Digest: img.Digest,
		MediaType: img.MediaType, Platform: img.Platform, Annotations: img.Annotations}}
	if img.Config != nil {
		r.Image.Created = img.Config.Created.Time
	}
	b := newBuilder(r)
	r.Warnings = append(r.Warnings, img.Warnings...)
	for i, l := range img.Layers {
		r.Layers = append(r.Layers, Layer{Index: i, Digest: l.Digest, DiffID: l.DiffID, MediaType: l.MediaType, BlobSize: l.Size})
	}
	r.History = mapHistory(img, r.Layers, b.warn)
	r.Base = detectBase(ctx, img, o.Base, r.History, b.warn)
	for i := range r.Layers {
		r.Layers[i].Base = i < r.Base.Layers
	}
	if err := readLayers(ctx, img, o, r, b); err != nil {
		return nil, err
	}
	b.resolvePending(o.Workers)
	b.finish()
	r.Dive = computeDive(r)
	r.Findings = findFindings(r, b.events)
	return r, nil
}

type readResult struct {
	res  *layer.BlobResult
	blob io.ReaderAt
	err  error
}

// readLayers reads layers in parallel and stacks them in order, holding
// at most Workers layers' raw entries at once.
func readLayers(ctx context.Context, img *source.Image, o Options, r *Result, b *builder) error {
	workers := o.Workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), 4)
	}
	n := len(img.Layers)
	slots := make([]chan readResult, n)
	sem := make(chan struct{}, workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for i := range img.Layers {
		slots[i] = make(chan readResult, 1)
	}
	go func() {
		for i := range img.Layers {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			go func(i int) { slots[i] <- readOne(ctx, img, i, o) }(i)
		}
	}()
	maxEntries := o.MaxEntries
	if maxEntries <= 0 {
		maxEntries = layer.DefaultMaxEntries
	}
	for i := 0; i < n; i++ {
		var rr readResult
		select {
		case rr = <-slots[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-sem
		if rr.err != nil {
			return fmt.Errorf("layer %d (%s): %w", i+1, short(firstNonEmpty(img.Layers[i].Digest, img.Layers[i].DiffID)), rr.err)
		}
		lay := &r.Layers[i]
		lay.Compression = rr.res.Compression.String()
		if lay.Digest == "" && rr.res.Compression == layer.Uncompressed {
			lay.Digest = lay.DiffID // an uncompressed blob is its own diff
		}
		lay.Verified, lay.Skimmed = rr.res.Verified, rr.res.Skimmed
		if lay.BlobSize < 0 {
			lay.BlobSize = rr.res.BlobBytes
		}
		for _, w := range rr.res.Warnings {
			b.warn("layer %d: %s", i+1, w)
		}
		if len(r.Entries)+len(rr.res.Entries) > maxEntries {
			return fmt.Errorf("the image has more than %d entries (raise --max-entries to read it)", maxEntries)
		}
		b.addLayer(i, rr.res.Entries, rr.blob)
	}
	return nil
}

func readOne(ctx context.Context, img *source.Image, i int, o Options) readResult {
	l := img.Layers[i]
	report := func(bytes int64, done bool) {
		if o.Progress != nil {
			o.Progress(Progress{Layer: i, Layers: len(img.Layers), Digest: firstNonEmpty(l.Digest, l.DiffID), Bytes: bytes, Total: l.Size, Done: done})
		}
	}
	if l.Preread != nil {
		report(l.Preread.BlobBytes, true)
		return readResult{res: l.Preread}
	}
	if err := ctx.Err(); err != nil {
		return readResult{err: err}
	}
	blob, err := l.Open()
	if err != nil {
		return readResult{err: err}
	}
	if c, ok := blob.R.(io.Closer); ok {
		defer c.Close()
	}
	bo := LayerOptions(o)
	bo.Digest, bo.DiffID = l.Digest, l.DiffID
	bo.Progress = func(n int64) { report(n, false) }
	res, err := layer.ReadBlob(blob, bo)
	if err != nil {
		return readResult{err: err}
	}
	report(res.BlobBytes, true)
	return readResult{res: res, blob: blob.RA}
}

func short(d string) string {
	if len(d) > 19 {
		return d[:19]
	}
	if d == "" {
		return "no digest"
	}
	return d
}
