package analyze

import (
	"io"
	"runtime"
	"sync"

	"github.com/cespare/xxhash/v2"
)

// hashBuf is the read size of content hashing.
const hashBuf = 256 << 10

// resolvePending hashes, in parallel, the content that same-size re-adds
// need compared, then fixes their change, their layer's counts and the
// cause of the waste they made. Nothing else is ever hashed in skimmed
// layers.
func (b *builder) resolvePending(workers int) {
	if len(b.pending) == 0 {
		return
	}
	var todo []int32
	queued := map[int32]bool{}
	for _, p := range b.pending {
		for _, i := range []int32{p.old, p.new} {
			if !b.r.Entries[i].hashed() && !queued[i] {
				queued[i] = true
				todo = append(todo, i)
			}
		}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, hashBuf)
			for {
				mu.Lock()
				if next == len(todo) {
					mu.Unlock()
					return
				}
				i := todo[next]
				next++
				mu.Unlock()
				e := &b.r.Entries[i]
				h, err := hashAt(b.blobs[e.Layer], e.offset, e.Size, buf)
				if err == nil {
					e.hash = h
					e.flags |= flagHashed
				}
			}
		}()
	}
	wg.Wait()
	for _, p := range b.pending {
		old, e := &b.r.Entries[p.old], &b.r.Entries[p.new]
		if !old.hashed() || !e.hashed() {
			b.warn("layer %d: %s could not be read to compare it with layer %d", e.Layer+1, b.paths.String(e.Path), old.Layer+1)
			continue
		}
		if old.hash != e.hash {
			continue
		}
		c := attrsChange(old, e)
		lay := &b.r.Layers[e.Layer]
		lay.Modified.N--
		lay.Modified.Bytes -= e.Size
		cnt := lay.count(c)
		cnt.N++
		cnt.Bytes += e.Size
		e.Change = c
		if p.waste >= 0 {
			b.r.Waste[p.waste].Cause = causeOf(c)
		}
	}
	b.pending = nil
}

func hashAt(ra io.ReaderAt, off, size int64, buf []byte) (uint64, error) {
	h := newContentHash()
	for size > 0 {
		n := int64(len(buf))
		if n > size {
			n = size
		}
		m, err := ra.ReadAt(buf[:n], off)
		_, _ = h.Write(buf[:m]) // hashes never fail
		off += int64(m)
		size -= int64(m)
		if err != nil && !(err == io.EOF && size == 0) {
			return 0, err
		}
		if m == 0 {
			return 0, io.ErrUnexpectedEOF
		}
	}
	return h.Sum64(), nil
}

func newContentHash() interface {
	Write([]byte) (int, error)
	Sum64() uint64
} {
	return xxhash.New()
}
