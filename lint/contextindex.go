package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/moby/patternmatcher"
)

// EntryKind is the type of a context entry.
type EntryKind uint8

// Kinds of context entries.
const (
	KindFile EntryKind = iota
	KindDir
	KindSymlink
	KindOther // sockets, devices, pipes
)

// ContextEntry is one file, directory or symlink of a build context.
type ContextEntry struct {
	// Path is slash-separated and relative to the context root.
	Path string
	Kind EntryKind
	// Size is the file's size (a symlink's is the length of its target).
	// For a directory it is the total size of the files under it that
	// are sent.
	Size int64
	// Files counts, for a directory, the non-directory entries under it
	// that are sent.
	Files int
	// Excluded is true when the ignore file keeps the entry out.
	Excluded bool
	// Pruned marks an excluded directory that was not walked, because no
	// exception in the ignore file can bring anything under it back.
	Pruned bool
	// ExcludedSize and ExcludedFiles total, for a directory, what the
	// ignore file keeps out beneath it (in walks that visit excluded
	// directories).
	ExcludedSize  int64
	ExcludedFiles int
	// Secret is why the file's name makes it a secret candidate ("" when it
	// is not one).
	Secret secretKind

	parent int32 // index of the parent directory, -1 at the top
	end    int32 // index just past the entry's subtree
}

// IsDir reports whether the entry is a directory.
func (e *ContextEntry) IsDir() bool { return e.Kind == KindDir }

// ContextIndex is a walk of a build context: every entry with its size and
// whether the ignore file keeps it out, in an order where each directory
// comes right before everything under it.
type ContextIndex struct {
	// Dir is the context's root directory.
	Dir string
	// Ignore is the ignore file applied (nil when there is none).
	Ignore *Ignore
	// Entries are sorted by path, component by component.
	Entries []ContextEntry
	// Files and Bytes total what is sent: files, symlinks and others not
	// excluded (directories are not counted).
	Files int
	Bytes int64
	// ExcludedFiles and ExcludedBytes total what the walk saw excluded.
	ExcludedFiles int
	ExcludedBytes int64
	// Full is true when excluded directories were walked too.
	Full bool
	// Errors are the directories and files that could not be read.
	Errors []string

	pos         map[string]int32
	secretsOnce sync.Once
	secrets     []Secret
}

// WalkOptions tune a context walk.
type WalkOptions struct {
	// Full walks excluded directories as well, to size what the ignore
	// file keeps out. Without it, an excluded directory that no exception
	// can reach into is recorded but not entered, as BuildKit does.
	Full bool
	// Progress, when set, is increased by one for every entry seen.
	Progress *atomic.Int64
	// Workers is the number of directories read at once (default: twice
	// the number of CPUs, at least 4).
	Workers int
}

// Index returns the walk of the context as the Dockerfile at dockerfile
// sees it (its ignore file applied), made once and shared by every rule and
// file that asks.
func (c *BuildContext) Index(dockerfile string) (*ContextIndex, error) {
	ig, err := c.IgnoreFor(dockerfile)
	if err != nil {
		return nil, err
	}
	key := ""
	if ig != nil {
		key = ig.File
	}
	v, _ := c.indexes.LoadOrStore(key, &indexEntry{})
	e := v.(*indexEntry)
	e.once.Do(func() { e.idx, e.err = WalkContext(c.Dir, ig, WalkOptions{}) })
	return e.idx, e.err
}

type indexEntry struct {
	once sync.Once
	idx  *ContextIndex
	err  error
}

// WalkContext walks the context rooted at dir in parallel, applying the
// ignore file ig (nil for none) with BuildKit's semantics: a path is out
// when it or a parent matches, exceptions (!pattern) bring paths back, and
// symbolic links are recorded, never followed. Only the names and sizes of
// files are read, never their contents.
func WalkContext(dir string, ig *Ignore, opts WalkOptions) (*ContextIndex, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("build context: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("build context %s is not a directory", dir)
	}
	w := &walker{root: dir, opts: opts}
	if ig != nil && len(ig.Patterns) > 0 {
		w.patterns = ig.Patterns
		w.prefixExceptions, w.exceptions = exceptionPrefixes(ig.matcher)
	}
	if err := w.run(); err != nil {
		return nil, err
	}
	idx := &ContextIndex{Dir: dir, Ignore: ig, Entries: w.entries, Full: opts.Full, Errors: w.errs}
	slices.Sort(idx.Errors)
	idx.finish()
	return idx, nil
}

// exceptionPrefixes returns, when every exception pattern is a plain path
// (no wildcard before a trailing one), those paths: an excluded directory
// that is not a prefix of one of them cannot have anything brought back.
// ok is false when some exception has wildcards and nothing may be pruned
// below an excluded directory with exceptions in play.
func exceptionPrefixes(m *patternmatcher.PatternMatcher) (ok bool, prefixes []string) {
	ok = true
	for _, p := range m.Patterns() {
		if !p.Exclusion() {
			continue
		}
		s := strings.TrimSuffix(strings.TrimSuffix(p.String(), "**"), "*")
		if strings.ContainsAny(s, `*[]?^\`) {
			ok = false
		}
		prefixes = append(prefixes, s)
	}
	return ok, prefixes
}

type walker struct {
	root             string
	opts             WalkOptions
	patterns         []string
	prefixExceptions bool
	exceptions       []string

	mu      sync.Mutex
	cond    *sync.Cond
	queue   []dirJob
	pending int
	entries []ContextEntry
	errs    []string
	failed  error
}

type dirJob struct {
	rel  string // "" for the root
	info patternmatcher.MatchInfo
	// allOut is set below an excluded directory that no exception reaches:
	// everything is excluded without matching.
	allOut bool
}

func (w *walker) run() error {
	workers := w.opts.Workers
	if workers <= 0 {
		workers = max(4, 2*runtime.GOMAXPROCS(0))
	}
	w.cond = sync.NewCond(&w.mu)
	w.queue = []dirJob{{}}
	w.pending = 1
	var wg sync.WaitGroup
	for range workers {
		var pm *patternmatcher.PatternMatcher
		if w.patterns != nil {
			// A matcher compiles its patterns lazily and is not safe for
			// concurrent use: each worker has its own.
			var err error
			if pm, err = patternmatcher.New(w.patterns); err != nil {
				return err
			}
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work(pm)
		}()
	}
	wg.Wait()
	return w.failed
}

func (w *walker) work(pm *patternmatcher.PatternMatcher) {
	for {
		w.mu.Lock()
		for len(w.queue) == 0 && w.pending > 0 {
			w.cond.Wait()
		}
		if len(w.queue) == 0 {
			w.mu.Unlock()
			return
		}
		job := w.queue[len(w.queue)-1]
		w.queue = w.queue[:len(w.queue)-1]
		w.mu.Unlock()

		entries, subdirs, errMsg, fatal := w.readDir(pm, job)

		w.mu.Lock()
		w.entries = append(w.entries, entries...)
		if errMsg != "" {
			w.errs = append(w.errs, errMsg)
		}
		if fatal != nil && w.failed == nil {
			w.failed = fatal
		}
		w.queue = append(w.queue, subdirs...)
		w.pending += len(subdirs) - 1
		if len(subdirs) > 0 || w.pending == 0 {
			w.cond.Broadcast()
		}
		w.mu.Unlock()
	}
}

// readDir lists one directory. Errors below the root are recorded and the
// walk goes on, so that one unreadable directory does not hide the rest.
func (w *walker) readDir(pm *patternmatcher.PatternMatcher, job dirJob) (entries []ContextEntry, subdirs []dirJob, errMsg string, fatal error) {
	abs := w.root
	if job.rel != "" {
		abs = filepath.Join(w.root, filepath.FromSlash(job.rel))
	}
	f, err := os.Open(abs)
	if err != nil {
		if job.rel == "" {
			return nil, nil, "", fmt.Errorf("build context: %w", err)
		}
		return nil, nil, job.rel + ": " + errText(err), nil
	}
	des, err := f.ReadDir(-1)
	_ = f.Close()
	if err != nil {
		errMsg = dirName(job.rel) + ": " + errText(err)
	}
	entries = make([]ContextEntry, 0, len(des))
	for _, de := range des {
		name := de.Name()
		rel := name
		if job.rel != "" {
			rel = job.rel + "/" + name
		}
		e := ContextEntry{Path: rel}
		var info patternmatcher.MatchInfo
		switch {
		case job.allOut:
			e.Excluded = true
		case pm != nil:
			e.Excluded, info, _ = pm.MatchesUsingParentResults(rel, job.info)
		}
		if w.opts.Progress != nil {
			w.opts.Progress.Add(1)
		}
		typ := de.Type()
		switch {
		case typ.IsDir():
			e.Kind = KindDir
			allOut := job.allOut
			if e.Excluded && !allOut && w.unreachable(rel) {
				if !w.opts.Full {
					e.Pruned = true
					entries = append(entries, e)
					continue
				}
				allOut = true
			}
			entries = append(entries, e)
			subdirs = append(subdirs, dirJob{rel: rel, info: info, allOut: allOut})
			continue
		case typ&fs.ModeSymlink != 0:
			e.Kind = KindSymlink
		case typ.IsRegular():
			e.Kind = KindFile
		default:
			e.Kind = KindOther
		}
		if e.Kind != KindOther {
			fi, err := de.Info()
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) { // gone since the listing
					errMsg = rel + ": " + errText(err)
				}
				continue
			}
			e.Size = fi.Size()
		}
		if e.Kind == KindFile {
			e.Secret = secretCandidate(name, rel)
			if e.Secret == notSecret && keyJSONCandidate(name, rel, e.Size) {
				e.Secret = secretKeyJSON
			}
		}
		entries = append(entries, e)
	}
	return entries, subdirs, errMsg, nil
}

// unreachable reports whether no exception pattern can bring back anything
// under the excluded directory rel, so that the walk may skip it: fsutil's
// test, which BuildKit's context transfer uses.
func (w *walker) unreachable(rel string) bool {
	if len(w.exceptions) == 0 {
		return true
	}
	if !w.prefixExceptions {
		return false
	}
	dirSlash := rel + "/"
	for _, e := range w.exceptions {
		if strings.HasPrefix(e+"/", dirSlash) {
			return false
		}
	}
	return true
}

func dirName(rel string) string {
	if rel == "" {
		return "."
	}
	return rel
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return err.Error()
}

// comparePaths orders slash-separated paths component by component, so
// that a directory's subtree is contiguous and follows it ("a", "a/b",
// "a-b").
func comparePaths(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if x == '/' {
			return -1
		}
		if y == '/' {
			return 1
		}
		if x < y {
			return -1
		}
		return 1
	}
	return len(a) - len(b)
}

// finish sorts the entries, links each to its parent and totals sizes up
// the tree.
func (x *ContextIndex) finish() {
	slices.SortFunc(x.Entries, func(a, b ContextEntry) int { return comparePaths(a.Path, b.Path) })
	x.pos = make(map[string]int32, len(x.Entries))
	var stack []int32 // open directories
	for i := range x.Entries {
		e := &x.Entries[i]
		x.pos[e.Path] = int32(i)
		for len(stack) > 0 && !isUnder(e.Path, x.Entries[stack[len(stack)-1]].Path) {
			x.Entries[stack[len(stack)-1]].end = int32(i)
			stack = stack[:len(stack)-1]
		}
		e.parent = -1
		if len(stack) > 0 {
			e.parent = stack[len(stack)-1]
		}
		e.end = int32(i + 1)
		if e.Kind == KindDir {
			stack = append(stack, int32(i))
		}
	}
	for _, d := range stack {
		x.Entries[d].end = int32(len(x.Entries))
	}
	// Children follow their parent: adding in reverse order totals each
	// directory before it is added to its own parent.
	for i := len(x.Entries) - 1; i >= 0; i-- {
		e := &x.Entries[i]
		if e.Kind != KindDir {
			if e.Excluded {
				x.ExcludedFiles++
				x.ExcludedBytes += e.Size
			} else {
				x.Files++
				x.Bytes += e.Size
			}
		}
		if e.parent < 0 {
			continue
		}
		p := &x.Entries[e.parent]
		switch {
		case e.Kind == KindDir:
			p.Size += e.Size
			p.Files += e.Files
			p.ExcludedSize += e.ExcludedSize
			p.ExcludedFiles += e.ExcludedFiles
		case e.Excluded:
			p.ExcludedSize += e.Size
			p.ExcludedFiles++
		default:
			p.Size += e.Size
			p.Files++
		}
	}
}

// isUnder reports whether p is strictly below dir.
func isUnder(p, dir string) bool {
	return len(p) > len(dir) && p[len(dir)] == '/' && strings.HasPrefix(p, dir)
}

// Lookup returns the index of the entry at p (slash-separated, relative to
// the root; cleaned here), or -1. It does not look inside pruned
// directories: see Locate.
func (x *ContextIndex) Lookup(p string) int {
	p = cleanContextPath(p)
	if i, ok := x.pos[p]; ok {
		return int(i)
	}
	return -1
}

// Locate says where p is: the index of its entry (-1 if none), and whether
// it is excluded, either itself or because a pruned parent is.
func (x *ContextIndex) Locate(p string) (i int, excluded bool) {
	p = cleanContextPath(p)
	if p == "." {
		return -1, false
	}
	if i, ok := x.pos[p]; ok {
		return int(i), x.Entries[i].Excluded
	}
	for d := path.Dir(p); d != "."; d = path.Dir(d) {
		if j, ok := x.pos[d]; ok {
			return -1, x.Entries[j].Pruned
		}
	}
	return -1, false
}

// Sends reports whether the builder receives entry i: it is not excluded,
// or it is an excluded directory that exceptions in the ignore file
// (!app/*.py) reach into, in which case BuildKit sends the files they take
// in and their parents.
func (x *ContextIndex) Sends(i int) bool {
	e := &x.Entries[i]
	if !e.Excluded {
		return true
	}
	if e.Pruned || e.Kind != KindDir {
		return false
	}
	for j := i + 1; j < int(e.end); j++ {
		if !x.Entries[j].Excluded {
			return true
		}
	}
	return false
}

// Subtree returns the entries from i through the last one under it.
func (x *ContextIndex) Subtree(i int) []ContextEntry {
	return x.Entries[i:x.Entries[i].end]
}

// End is the index just past entry i's subtree.
func (x *ContextIndex) End(i int) int { return int(x.Entries[i].end) }

// Parent is the index of entry i's directory, -1 at the top.
func (x *ContextIndex) Parent(i int) int { return int(x.Entries[i].parent) }

// SentSize is what entry i contributes to the context: its size, or for a
// directory the size of the files under it that are sent.
func (x *ContextIndex) SentSize(i int) (files int, bytes int64) {
	e := &x.Entries[i]
	switch {
	case e.Excluded && e.Kind != KindDir:
		return 0, 0
	case e.Kind == KindDir:
		return e.Files, e.Size
	}
	return 1, e.Size
}

// cleanContextPath makes a source or pattern path relative to the context
// root as BuildKit does: path.Join("/", p) without the leading slash.
func cleanContextPath(p string) string {
	p = path.Join("/", filepath.ToSlash(p))
	if p == "/" {
		return "."
	}
	return p[1:]
}

// FormatSize prints a byte count for people in decimal units, as docker
// does: 999 B, 1.2 kB, 34.5 MB.
func FormatSize(n int64) string {
	if n < 1000 {
		return fmt.Sprintf("%d B", n)
	}
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	f := float64(n)
	i := -1
	for f >= 999.95 && i < len(units)-1 {
		f /= 1000
		i++
	}
	return fmt.Sprintf("%.1f %s", f, units[i])
}
