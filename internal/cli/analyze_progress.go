package cli

import (
	"fmt"
	"sync"
	"time"

	"github.com/strata-dev/strata/analyze"
	"github.com/strata-dev/strata/analyze/report"
)

// progress prints per-layer progress on stderr: always, never, or (auto)
// once reading has taken longer than a moment.
type progress struct {
	a     *app
	mode  string
	start time.Time
	mu    sync.Mutex
	tty   bool
	shown bool
	last  time.Time
}

const progressDelay = 700 * time.Millisecond

func newProgress(a *app, mode string) *progress {
	return &progress{a: a, mode: mode, start: time.Now(), tty: a.isTerminal(a.io.Err)}
}

func (p *progress) enabled() bool {
	switch p.mode {
	case "always":
		return true
	case "never":
		return false
	}
	return time.Since(p.start) > progressDelay
}

func (p *progress) layer(ev analyze.Progress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.enabled() {
		return
	}
	digest := ev.Digest
	if len(digest) > 19 {
		digest = digest[:19]
	}
	if !ev.Done {
		if !p.tty || time.Since(p.last) < 100*time.Millisecond {
			return
		}
		p.last = time.Now()
		fmt.Fprintf(p.a.io.Err, "\rlayer %d/%d %s %s read", ev.Layer+1, ev.Layers, digest, report.Size(ev.Bytes))
		p.shown = true
		return
	}
	prefix := ""
	if p.tty {
		prefix = "\r\033[K"
	}
	fmt.Fprintf(p.a.io.Err, "%slayer %d/%d %s %s read\n", prefix, ev.Layer+1, ev.Layers, digest, report.Size(ev.Bytes))
	p.shown = false
}

func (p *progress) stream(n int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.enabled() || (p.tty && time.Since(p.last) < 100*time.Millisecond) {
		return
	}
	p.last = time.Now()
	if p.tty {
		fmt.Fprintf(p.a.io.Err, "\rreading image stream: %s", report.Size(n))
		p.shown = true
	} else {
		fmt.Fprintf(p.a.io.Err, "reading image stream: %s\n", report.Size(n))
	}
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.a.io.Err, "\r\033[K")
	}
}
