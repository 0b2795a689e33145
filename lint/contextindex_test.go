package lint

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tonistiigi/fsutil"
)

// fsutilSent is what BuildKit's context transfer sends: fsutil's walk with
// the ignore file's patterns as exclusions.
func fsutilSent(t *testing.T, dir string, ig *Ignore) []string {
	t.Helper()
	opt := &fsutil.FilterOpt{}
	if ig != nil {
		opt.ExcludePatterns = ig.Patterns
	}
	var out []string
	err := fsutil.Walk(context.Background(), dir, opt, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			out = append(out, filepath.ToSlash(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func indexSent(x *ContextIndex) []string {
	var out []string
	for _, e := range x.Entries {
		if !e.Excluded && e.Kind != KindDir {
			out = append(out, e.Path)
		}
	}
	slices.Sort(out)
	return out
}

// TestWalkMatchesBuildKit compares the walk with fsutil's on ignore files
// that exercise the engine's semantics: negation, **, leading /, trailing
// spaces, directory patterns and exceptions under excluded directories.
func TestWalkMatchesBuildKit(t *testing.T) {
	tree := map[string]string{
		"Dockerfile": "FROM scratch\n", "main.go": "package main\n", "README.md": "# r\n",
		".git/HEAD": "ref\n", ".git/objects/ab/cdef": "x", "node_modules/a/index.js": "1", "node_modules/a/README.md": "r",
		"src/app.go": "package app\n", "src/app_test.go": "package app\n", "src/keep.txt": "k", "src/deep/x.in": "i",
		"docs/a.md": "a", "docs/keep/b.md": "b", "build/out.bin": strings.Repeat("b", 100), "a.in": "i", "sub/a.in": "i",
		"sub/sub1/f": "f", "test2.txt": "t", "test3.txt": "t", "logs/1.log": "l", "logs/keep.log": "k",
	}
	for _, ignore := range []string{
		"",
		".git\nnode_modules\n",
		"/src   \n", // trailing spaces and a leading slash
		"**/*.in\n!sub/a.in\n",
		"*\n!src\n!Dockerfile\n",
		"*\n!test2*\n!*/sub1*\n",
		"docs\n!docs/keep\n",
		"docs/**\n!docs/keep/*.md\n",
		"logs/*.log\n!logs/keep.log\n",
		"src/*_test.go\nbuild/\n",
		"**\n!**/*.md\n",
		"# comment\n\n  \n!nothing\nsrc\n!src/keep.txt\nsrc/keep.txt\n", // re-excluded
	} {
		t.Run(strings.ReplaceAll(ignore, "\n", "|"), func(t *testing.T) {
			files := map[string]string{".dockerignore": ignore}
			for k, v := range tree {
				files[k] = v
			}
			dir := writeFiles(t, files)
			c := &BuildContext{Dir: dir}
			ig, err := c.IgnoreFor("")
			if err != nil {
				t.Fatal(err)
			}
			want := fsutilSent(t, dir, ig)
			for _, full := range []bool{false, true} {
				x, err := WalkContext(dir, ig, WalkOptions{Full: full, Workers: 3})
				if err != nil {
					t.Fatal(err)
				}
				if got := indexSent(x); !slices.Equal(got, want) {
					t.Errorf("full=%v: sent\n  %v\nBuildKit sends\n  %v", full, got, want)
				}
			}
		})
	}
}

// TestWalkRandom compares random trees and ignore files with fsutil.
func TestWalkRandom(t *testing.T) {
	names := []string{"a", "b", "a.go", "b.in", "x_test.go", ".env", "node_modules", "keep"}
	pats := []string{"a", "*", "**", "**/*.go", "*/b", "a/**", "keep", "/b.in", "**/x_*", "node_modules", "a/b*", "*.in"}
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 40; n++ {
		files := map[string]string{}
		for k := 0; k < 25; k++ {
			depth := 1 + r.IntN(3)
			var parts []string
			for d := 0; d < depth; d++ {
				parts = append(parts, names[r.IntN(len(names))])
			}
			files[strings.Join(parts, "/")] = "x"
		}
		// A path used as a file and a directory keeps the directory.
		for p := range files {
			for q := range files {
				if strings.HasPrefix(q, p+"/") {
					delete(files, p)
				}
			}
		}
		var ignore strings.Builder
		for k := 0; k < 1+r.IntN(4); k++ {
			if r.IntN(3) == 0 {
				ignore.WriteByte('!')
			}
			ignore.WriteString(pats[r.IntN(len(pats))] + "\n")
		}
		files[".dockerignore"] = ignore.String()
		dir := writeFiles(t, files)
		ig, err := (&BuildContext{Dir: dir}).IgnoreFor("")
		if err != nil {
			t.Fatal(err)
		}
		want := fsutilSent(t, dir, ig)
		x, err := WalkContext(dir, ig, WalkOptions{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if got := indexSent(x); !slices.Equal(got, want) {
			t.Errorf("ignore %q:\n got  %v\n want %v", ignore.String(), got, want)
		}
	}
}

func TestWalkSymlinksAndTotals(t *testing.T) {
	outside := writeFiles(t, map[string]string{"big": strings.Repeat("x", 1000)})
	dir := writeFiles(t, map[string]string{"a/b.txt": "12345", "a/c.txt": "123", "d.txt": "1", ".dockerignore": "a/c.txt\n"})
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Skip(err)
	}
	ig, _ := (&BuildContext{Dir: dir}).IgnoreFor("")
	x, err := WalkContext(dir, ig, WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	i := x.Lookup("out")
	if i < 0 || x.Entries[i].Kind != KindSymlink || x.End(i) != i+1 {
		t.Fatalf("symlink out of the context: %+v", x.Entries)
	}
	if x.Lookup("out/big") >= 0 {
		t.Error("the walk followed a symlink out of the context")
	}
	a := x.Lookup("a")
	if e := x.Entries[a]; e.Size != 5 || e.Files != 1 || e.ExcludedSize != 3 {
		t.Errorf("directory a totals: %+v", e)
	}
	if x.ExcludedBytes != 3 || x.Files != 4 { // b.txt, d.txt, .dockerignore, out
		t.Errorf("totals: %d files sent, %d bytes excluded", x.Files, x.ExcludedBytes)
	}
	if _, excl := x.Locate("a/c.txt"); !excl {
		t.Error("a/c.txt is not excluded")
	}
}

func TestPrunedDirectories(t *testing.T) {
	dir := writeFiles(t, map[string]string{"node_modules/a/b.js": "x", "src/a.go": "y", ".dockerignore": "node_modules\n"})
	ig, _ := (&BuildContext{Dir: dir}).IgnoreFor("")
	x, err := WalkContext(dir, ig, WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	i := x.Lookup("node_modules")
	if i < 0 || !x.Entries[i].Pruned || x.Lookup("node_modules/a") >= 0 {
		t.Fatalf("node_modules is walked: %+v", x.Entries)
	}
	if j, excl := x.Locate("node_modules/a/b.js"); j >= 0 || !excl {
		t.Error("a path under a pruned directory is not known to be excluded")
	}
	full, _ := WalkContext(dir, ig, WalkOptions{Full: true})
	if e := full.Entries[full.Lookup("node_modules")]; e.ExcludedFiles != 1 {
		t.Errorf("a full walk does not size excluded directories: %+v", e)
	}
}

func TestUsageAndUnused(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"Dockerfile": "FROM scratch\nCOPY src/ /src/\nCOPY *.json /\n",
		"src/a.go":   "aaaa", "package.json": "{}", "docs/x.md": "xx", "big.bin": "bbbbbbbb",
	})
	src := NewSource("Dockerfile", []byte("FROM scratch\nCOPY src/ /src/\nCOPY *.json /\n"))
	f := Parse(src)
	x, err := WalkContext(dir, nil, WalkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	u := x.Usage(ContextSources(f))
	if u.Files != 2 || u.Bytes != 6 {
		t.Errorf("used %d files, %d bytes", u.Files, u.Bytes)
	}
	var unused []string
	for _, i := range u.Unused() {
		unused = append(unused, x.Entries[i].Path)
	}
	if fmt.Sprint(unused) != "[big.bin docs]" {
		t.Errorf("unused = %v", unused)
	}
}

func TestContextSourcesExpand(t *testing.T) {
	f := Parse(NewSource("Dockerfile", []byte(`ARG APP=web
FROM alpine:3.20
ARG APP
ARG UNSET
ENV CONF=conf
COPY ${APP}/ ./
COPY ["$CONF/a b.txt", "../../x", "/y/"]
COPY $UNSET/z /z
COPY --from=build /a /a
ADD https://example.com/a.tgz git@github.com:a/b.git /
RUN --mount=type=bind,source=tools,target=/t true
COPY <<EOF /x
hi
EOF
`)))
	var got []string
	for _, s := range ContextSources(f) {
		got = append(got, fmt.Sprintf("%s:%v", s.Path, s.Unresolved))
	}
	want := "[web:false conf/a b.txt:false x:false z:true tools:false]"
	if fmt.Sprint(got) != want {
		t.Errorf("sources = %v, want %s", got, want)
	}
}

// BenchmarkContext100k walks, indexes and sums up a generated context of
// 100,000 files in 1,000 directories, as `strata context` does.
func BenchmarkContext100k(b *testing.B) {
	dir := b.TempDir()
	if err := makeTree(dir, 100, 10, 100); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".dockerignore"), []byte("d1\n**/*.log\n!d2/s3/*.log\n"), 0o644); err != nil {
		b.Fatal(err)
	}
	df := NewSource("Dockerfile", []byte("FROM scratch\nCOPY d0 /d0\nCOPY d5/s1/ /x/\n"))
	f := Parse(df)
	b.ResetTimer()
	for range b.N {
		c := &BuildContext{Dir: dir}
		ig, err := c.IgnoreFor("")
		if err != nil {
			b.Fatal(err)
		}
		x, err := WalkContext(dir, ig, WalkOptions{Full: true})
		if err != nil {
			b.Fatal(err)
		}
		if x.Files+x.ExcludedFiles < 100000 {
			b.Fatalf("walked %d files", x.Files+x.ExcludedFiles)
		}
		u := x.Usage(ContextSources(f))
		_ = u.Unused()
		_ = x.Secrets()
	}
}

// makeTree writes top × sub directories of n files each.
func makeTree(dir string, top, sub, n int) error {
	for i := range top {
		for j := range sub {
			d := filepath.Join(dir, fmt.Sprintf("d%d", i), fmt.Sprintf("s%d", j))
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			for k := range n {
				name := fmt.Sprintf("f%d.txt", k)
				if k%10 == 0 {
					name = fmt.Sprintf("f%d.log", k)
				}
				if err := os.WriteFile(filepath.Join(d, name), []byte("0123456789"[:k%10]), 0o644); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
