package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
	"github.com/spf13/cobra"

	"github.com/strata-dev/strata/lint"
)

type contextFlags struct {
	dockerfile string
	format     string
	top        int
	progress   string
}

func newContextCmd(a *app) *cobra.Command {
	var fl contextFlags
	cmd := &cobra.Command{
		Use:   "context [DIR]",
		Short: "Show what a build sends from its context, and what it sends for nothing",
		Long: `Walk a build context (DIR, default the current directory) as Docker and BuildKit read it,
with .dockerignore (or <Dockerfile>.dockerignore beside the Dockerfile) applied, and report:
the files and bytes sent, the largest files and directories, what the ignore file
excludes, what no COPY, ADD or bind mount of any stage uses (the classic builder
sends it for nothing; BuildKit transfers only what the instructions name), the
secrets in the context, and each COPY/ADD source with its size.

The Dockerfile is -f, else DIR/Dockerfile or DIR/Containerfile; without one, the
report covers the context alone. File contents are never read, except the first
64 KiB of small files whose names suggest credentials.

Exit status: 0 when the report is written, whatever it shows (gate on it with
strata lint, whose ST2xxx rules read the same walk); 2 on usage or I/O errors.`,
		Example: `  strata context
  strata context services/api -f services/api/Dockerfile.prod
  strata context --format json . | jq '.unused_paths[:5]'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return runContext(a, fl, dir)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.dockerfile, "file", "f", "", "the Dockerfile (default: DIR/Dockerfile or DIR/Containerfile)")
	f.StringVar(&fl.format, "format", "text", "report format: text or json")
	f.IntVar(&fl.top, "top", 10, "rows per table")
	f.StringVar(&fl.progress, "progress", "auto", "progress on stderr: auto (on a terminal, for long walks), always or never")
	return cmd
}

func runContext(a *app, fl contextFlags, dir string) error {
	if fl.format != "text" && fl.format != "json" {
		return usageErrorf("unknown --format %q: want text or json", fl.format)
	}
	if fl.progress != "auto" && fl.progress != "always" && fl.progress != "never" {
		return usageErrorf("unknown --progress %q: want auto, always or never", fl.progress)
	}
	if fl.top < 1 {
		return usageErrorf("--top must be at least 1")
	}
	bc, err := lint.NewBuildContext(dir)
	if err != nil {
		return withCode(ExitError, err)
	}
	dockerfile := fl.dockerfile
	if dockerfile == "" {
		for _, name := range []string{"Dockerfile", "Containerfile"} {
			if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.Mode().IsRegular() {
				dockerfile = filepath.Join(dir, name)
				break
			}
		}
	}
	var file *lint.File
	if dockerfile != "" {
		data, err := os.ReadFile(dockerfile)
		if err != nil {
			return withCode(ExitError, readError(dockerfile, err))
		}
		file = lint.Parse(lint.NewSource(dockerfile, data))
	}
	ig, err := bc.IgnoreFor(dockerfile)
	if err != nil {
		return withCode(ExitError, err)
	}

	var seen atomic.Int64
	stop := startContextProgress(a, fl.progress, &seen)
	start := time.Now()
	x, err := lint.WalkContext(dir, ig, lint.WalkOptions{Full: true, Progress: &seen})
	stop(len(x.Entries), time.Since(start))
	if err != nil {
		return withCode(ExitError, err)
	}
	rep := newContextReport(x, file, dockerfile, fl.top)
	if fl.format == "json" {
		enc := json.NewEncoder(a.io.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.writeText(a.io.Out)
}

// startContextProgress shows how many entries the walk has seen, on a
// terminal once it takes longer than a moment (or always, with --progress
// always). The returned function ends the line.
func startContextProgress(a *app, mode string, seen *atomic.Int64) func(n int, took time.Duration) {
	tty := a.isTerminal(a.io.Err)
	if mode == "never" || mode == "auto" && !tty {
		return func(int, time.Duration) {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	shown := false
	wg.Add(1)
	go func() {
		defer wg.Done()
		delay := 300 * time.Millisecond
		if mode == "always" {
			delay = 0
		}
		select {
		case <-done:
			return
		case <-time.After(delay):
		}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			mu.Lock()
			if tty {
				fmt.Fprintf(a.io.Err, "\r\033[Kscanning build context: %s entries", thousandsSep(int(seen.Load())))
				shown = true
			}
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func(n int, took time.Duration) {
		close(done)
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		if tty && shown {
			fmt.Fprint(a.io.Err, "\r\033[K")
		}
		if mode == "always" {
			fmt.Fprintf(a.io.Err, "scanned build context: %s entries in %s\n", thousandsSep(n), took.Round(time.Millisecond))
		}
	}
}

// contextReport is what `strata context` prints; its JSON form is part of
// the CLI contract (docs/context.md).
type contextReport struct {
	Context        string          `json:"context"`
	Dockerfile     string          `json:"dockerfile,omitempty"`
	IgnoreFile     string          `json:"ignore_file,omitempty"`
	IgnorePatterns []string        `json:"ignore_patterns,omitempty"`
	Sent           sizeCount       `json:"sent"`
	Excluded       sizeCount       `json:"excluded"`
	Transferred    *sizeCount      `json:"transferred,omitempty"`
	Unused         *sizeCount      `json:"unused,omitempty"`
	LargestFiles   []contextPath   `json:"largest_files"`
	LargestDirs    []contextPath   `json:"largest_dirs"`
	ExcludedPaths  []contextPath   `json:"excluded_paths"`
	UnusedPaths    []contextPath   `json:"unused_paths,omitempty"`
	Clutter        []contextPath   `json:"clutter"`
	Secrets        []contextSecret `json:"secrets"`
	Sources        []contextSrc    `json:"sources,omitempty"`
	Errors         []string        `json:"errors,omitempty"`
	Notes          []string        `json:"notes,omitempty"`

	more map[string]int // rows left out of each table
}

type sizeCount struct {
	Files int   `json:"files"`
	Bytes int64 `json:"bytes"`
}

type contextPath struct {
	Path    string `json:"path"`
	Dir     bool   `json:"dir,omitempty"`
	Files   int    `json:"files,omitempty"`
	Bytes   int64  `json:"bytes"`
	Pattern string `json:"pattern,omitempty"`
	Kind    string `json:"kind,omitempty"`
	Copied  bool   `json:"copied,omitempty"`
	Pruned  bool   `json:"-"`
}

type contextSecret struct {
	Path   string `json:"path"`
	What   string `json:"what"`
	Detail string `json:"detail,omitempty"`
	Bytes  int64  `json:"bytes"`
	Copied bool   `json:"copied"`
}

type contextSrc struct {
	Line        int    `json:"line"`
	Instruction string `json:"instruction"`
	Source      string `json:"source"`
	Status      string `json:"status"` // ok, missing, excluded, unresolved, empty (a wildcard matching nothing)
	Files       int    `json:"files"`
	Bytes       int64  `json:"bytes"`
}

func newContextReport(x *lint.ContextIndex, f *lint.File, dockerfile string, top int) *contextReport {
	r := &contextReport{
		Context: x.Dir, Dockerfile: dockerfile,
		Sent:     sizeCount{x.Files, x.Bytes},
		Excluded: sizeCount{x.ExcludedFiles, x.ExcludedBytes},
		Errors:   x.Errors, more: map[string]int{},
	}
	if x.Ignore != nil {
		r.IgnoreFile, r.IgnorePatterns = x.Ignore.File, x.Ignore.Patterns
	}
	var files, dirs, excluded []contextPath
	for i := range x.Entries {
		e := &x.Entries[i]
		switch {
		case e.Excluded && (x.Parent(i) < 0 || !x.Entries[x.Parent(i)].Excluded):
			p := contextPath{Path: e.Path, Dir: e.IsDir(), Bytes: e.Size, Files: 1, Pruned: e.Pruned}
			if e.IsDir() {
				p.Bytes, p.Files = e.ExcludedSize, e.ExcludedFiles
			}
			p.Pattern = x.Ignore.Why(e.Path)
			excluded = append(excluded, p)
		case e.Excluded:
		case e.IsDir():
			if strings.Count(e.Path, "/") < 2 && e.Files > 0 {
				dirs = append(dirs, contextPath{Path: e.Path, Dir: true, Files: e.Files, Bytes: e.Size})
			}
		default:
			files = append(files, contextPath{Path: e.Path, Files: 1, Bytes: e.Size})
		}
	}
	r.LargestFiles = r.topN("largest_files", files, top)
	r.LargestDirs = r.topN("largest_dirs", dirs, top)
	r.ExcludedPaths = r.topN("excluded_paths", excluded, top)
	var used map[int]bool
	if f != nil {
		srcs := lint.ContextSources(f)
		u := x.Usage(srcs)
		r.Transferred = &sizeCount{u.Files, u.Bytes}
		var unused []contextPath
		var total sizeCount
		for _, i := range u.Unused() {
			fl, b := x.SentSize(i)
			total.Files += fl
			total.Bytes += b
			unused = append(unused, contextPath{Path: x.Entries[i].Path, Dir: x.Entries[i].IsDir(), Files: fl, Bytes: b})
		}
		r.Unused = &total
		r.UnusedPaths = r.topN("unused_paths", unused, top)
		if r.UnusedPaths == nil {
			r.UnusedPaths = []contextPath{}
		}
		used = map[int]bool{}
		for i, ok := range u.Used {
			if ok {
				used[i] = true
			}
		}
		for k := range srcs {
			r.Sources = append(r.Sources, sourceRow(x, &srcs[k]))
		}
		if u.Unresolved {
			r.Notes = append(r.Notes, "a source uses a variable the Dockerfile gives no value: what it takes, and so what is unused, is a guess")
		}
		if len(srcs) == 0 {
			r.Notes = append(r.Notes, "no COPY, ADD or bind mount reads the context: BuildKit sends nothing, the classic builder all of it")
		}
	}
	var clutter []contextPath
	for i := 0; i < len(x.Entries); i++ {
		e := &x.Entries[i]
		if e.Excluded || e.IsDir() && e.Files == 0 {
			continue
		}
		kind, pattern := x.Clutter(i)
		if kind == "" {
			continue
		}
		files, bytes := x.SentSize(i)
		clutter = append(clutter, contextPath{Path: e.Path, Dir: e.IsDir(), Files: files, Bytes: bytes,
			Kind: string(kind), Pattern: pattern, Copied: used[i]})
		if e.IsDir() {
			i = x.End(i) - 1
		}
	}
	r.Clutter = r.topN("clutter", clutter, top)
	for _, s := range x.Secrets() {
		i := x.Lookup(s.Path)
		r.Secrets = append(r.Secrets, contextSecret{Path: s.Path, What: s.What, Detail: s.Detail, Bytes: s.Size, Copied: used[i]})
	}
	if r.Secrets == nil {
		r.Secrets = []contextSecret{}
	}
	for _, p := range excluded {
		if p.Pruned && p.Dir {
			r.Notes = append(r.Notes, "some excluded directories could not be sized")
			break
		}
	}
	return r
}

// topN sorts by size and keeps n rows, remembering how many were left out.
func (r *contextReport) topN(table string, rows []contextPath, n int) []contextPath {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Bytes != rows[j].Bytes {
			return rows[i].Bytes > rows[j].Bytes
		}
		return rows[i].Path < rows[j].Path
	})
	if len(rows) > n {
		r.more[table] = len(rows) - n
		rows = rows[:n]
	}
	if rows == nil {
		rows = []contextPath{}
	}
	return rows
}

func sourceRow(x *lint.ContextIndex, s *lint.ContextSource) contextSrc {
	row := contextSrc{Line: s.Ins.StartLine, Instruction: strings.ToUpper(s.Ins.Kind), Source: s.Raw, Status: "ok"}
	if s.Ins.Kind == "run" {
		row.Instruction = "RUN --mount"
		if row.Source == "" {
			row.Source = "."
		}
	}
	files, bytes, found := x.SourceSize(s)
	row.Files, row.Bytes = files, bytes
	switch {
	case s.Unresolved:
		row.Status = "unresolved"
	case found:
	case s.Wildcard:
		row.Status = "empty"
	default:
		if _, excluded := x.Locate(s.Path); excluded || x.Ignore != nil && ignoredPath(x.Ignore, s.Path) {
			row.Status = "excluded"
		} else {
			row.Status = "missing"
		}
	}
	return row
}

func ignoredPath(ig *lint.Ignore, p string) bool {
	ok, err := ig.Excludes(p)
	return err == nil && ok
}

func (r *contextReport) writeText(w io.Writer) error {
	fmt.Fprintf(w, "Build context: %s\n", r.Context)
	if r.Dockerfile != "" {
		fmt.Fprintf(w, "Dockerfile:    %s\n", relTo(r.Context, r.Dockerfile))
	} else {
		fmt.Fprintln(w, "Dockerfile:    none found (-f names one): what no instruction uses is not known")
	}
	if r.IgnoreFile != "" {
		fmt.Fprintf(w, "Ignore file:   %s (%d %s)\n", relTo(r.Context, r.IgnoreFile), len(r.IgnorePatterns), pluralWord(len(r.IgnorePatterns), "pattern", "patterns"))
	} else {
		fmt.Fprintln(w, "Ignore file:   none: everything is sent")
	}

	summary := [][]string{{"sent to the builder", count(r.Sent), "everything the ignore file lets through: what the classic builder sends"}}
	if r.Transferred != nil {
		summary = append(summary,
			[]string{"used by COPY/ADD", count(*r.Transferred), "what BuildKit transfers"},
			[]string{"sent for nothing", count(*r.Unused), "no COPY, ADD or bind mount of any stage uses it"})
	}
	summary = append(summary, []string{"excluded", count(r.Excluded), "kept out by the ignore file"})
	if err := renderTable(w, "", nil, summary); err != nil {
		return err
	}
	tables := []struct {
		title, key string
		rows       []contextPath
		pattern    bool
	}{
		{"Largest files sent", "largest_files", r.LargestFiles, false},
		{"Largest directories sent (two levels deep)", "largest_dirs", r.LargestDirs, false},
		{"Excluded by the ignore file", "excluded_paths", r.ExcludedPaths, true},
	}
	if r.Transferred != nil {
		tables = append(tables, struct {
			title, key string
			rows       []contextPath
			pattern    bool
		}{"Sent for nothing: no COPY, ADD or bind mount uses these", "unused_paths", r.UnusedPaths, false})
	}
	for _, t := range tables {
		if len(t.rows) == 0 {
			continue
		}
		header := []string{"SIZE", "FILES", "PATH"}
		if t.pattern {
			header = append(header, "PATTERN")
		}
		var rows [][]string
		for _, p := range t.rows {
			name := p.Path
			if p.Dir {
				name += "/"
			}
			size, n := lint.FormatSize(p.Bytes), thousandsSep(p.Files)
			if p.Pruned {
				size, n = "?", "?"
			}
			row := []string{size, n, name}
			if t.pattern {
				row = append(row, p.Pattern)
			}
			rows = append(rows, row)
		}
		if err := renderTable(w, t.title, header, rows); err != nil {
			return err
		}
		if m := r.more[t.key]; m > 0 {
			fmt.Fprintf(w, "... and %d more\n", m)
		}
	}
	if len(r.Clutter) > 0 {
		var rows [][]string
		for _, c := range r.Clutter {
			name := c.Path
			if c.Dir {
				name += "/"
			}
			copied := "sent"
			if c.Copied {
				copied = "sent and copied"
			}
			rows = append(rows, []string{lint.FormatSize(c.Bytes), name, c.Kind, copied, c.Pattern})
		}
		if err := renderTable(w, "Probably not meant for the image", []string{"SIZE", "PATH", "WHAT", "", "IGNORE WITH"}, rows); err != nil {
			return err
		}
		if m := r.more["clutter"]; m > 0 {
			fmt.Fprintf(w, "... and %d more\n", m)
		}
	}
	if len(r.Secrets) > 0 {
		var rows [][]string
		for _, s := range r.Secrets {
			what := s.What
			if s.Detail != "" {
				what += " (" + s.Detail + ")"
			}
			copied := "sent"
			if s.Copied {
				copied = "sent and copied"
			}
			rows = append(rows, []string{s.Path, what, copied})
		}
		if err := renderTable(w, "Secrets in the context", []string{"PATH", "WHAT", ""}, rows); err != nil {
			return err
		}
	}
	if len(r.Sources) > 0 {
		var rows [][]string
		for _, s := range r.Sources {
			size := lint.FormatSize(s.Bytes)
			if s.Status != "ok" {
				size = "-"
			}
			rows = append(rows, []string{fmt.Sprint(s.Line), s.Instruction, s.Source, size, s.Status})
		}
		if err := renderTable(w, "Sources in the Dockerfile", []string{"LINE", "INSTRUCTION", "SOURCE", "SIZE", "STATUS"}, rows); err != nil {
			return err
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "\nnote: %s\n", n)
	}
	if len(r.Errors) > 0 {
		fmt.Fprintf(w, "\nCould not read (Docker would stop here unless excluded):\n")
		for _, e := range r.Errors {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
	return nil
}

func count(s sizeCount) string {
	return thousandsSep(s.Files) + " " + pluralWord(s.Files, "file", "files") + ", " + lint.FormatSize(s.Bytes)
}

func renderTable(w io.Writer, title string, header []string, rows [][]string) error {
	fmt.Fprintln(w)
	if title != "" {
		fmt.Fprintln(w, title)
	}
	t := tablewriter.NewTable(w,
		tablewriter.WithRenderer(renderer.NewBlueprint(tw.Rendition{Symbols: tw.NewSymbols(tw.StyleLight)})),
		tablewriter.WithHeaderAutoFormat(tw.Off), tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithHeaderAlignment(tw.AlignLeft), tablewriter.WithRowAlignment(tw.AlignLeft))
	if header != nil {
		t.Header(header)
	}
	if err := t.Bulk(rows); err != nil {
		return err
	}
	return t.Render()
}

func thousandsSep(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// relTo shows p relative to dir when it lies inside it.
func relTo(dir, p string) string {
	if rel, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}
