package report

import (
	"bytes"
	"io"
	"runtime"
	"sync"
)

// renderParallel renders the results in order, each by render into its
// own buffer, spreading the work over all cores and writing the buffers to
// w in order as they complete. Large runs spend noticeable time rendering.
func renderParallel(w io.Writer, results []FileResult, render func(*bytes.Buffer, int, FileResult)) error {
	const batch = 64
	n := (len(results) + batch - 1) / batch
	if n <= 1 {
		var buf bytes.Buffer
		for i, r := range results {
			render(&buf, i, r)
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	bufs := make([]bytes.Buffer, n)
	done := make([]chan struct{}, n)
	for i := range done {
		done[i] = make(chan struct{})
	}
	work := make(chan int)
	var wg sync.WaitGroup
	for k := 0; k < runtime.GOMAXPROCS(0); k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				for i := b * batch; i < min((b+1)*batch, len(results)); i++ {
					render(&bufs[b], i, results[i])
				}
				close(done[b])
			}
		}()
	}
	go func() {
		for b := 0; b < n; b++ {
			work <- b
		}
		close(work)
	}()
	var err error
	for b := 0; b < n; b++ {
		<-done[b]
		if err == nil {
			_, err = w.Write(bufs[b].Bytes())
		}
		bufs[b] = bytes.Buffer{}
	}
	wg.Wait()
	return err
}
