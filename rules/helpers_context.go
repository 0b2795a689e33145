package rules

import (
	"path"
	"path/filepath"
	"sort"

	"github.com/strata-dev/strata/lint"
)

// contextView is the build context as one Dockerfile uses it.
type contextView struct {
	idx   *lint.ContextIndex
	usage *lint.ContextUsage
	// own are the context paths of the Dockerfile and its ignore file,
	// which the builder reads on its own: not worth naming as "largest".
	own map[string]bool
}

// viewContext walks (once per context) and reads what the file's COPY, ADD
// and bind mounts take from it. ok is false without a readable context.
func viewContext(p *lint.Pass) (contextView, bool) {
	idx := contextIndex(p)
	if idx == nil {
		return contextView{}, false
	}
	own := map[string]bool{".dockerignore": true}
	if idx.Ignore != nil {
		if rel, err := filepath.Rel(idx.Dir, idx.Ignore.File); err == nil {
			own[filepath.ToSlash(rel)] = true
		}
	}
	if abs, err := filepath.Abs(p.File.Source.Path); err == nil {
		if dir, err := filepath.Abs(idx.Dir); err == nil {
			if rel, err := filepath.Rel(dir, abs); err == nil {
				own[filepath.ToSlash(rel)] = true
			}
		}
	}
	return contextView{idx: idx, usage: idx.Usage(contextSources(p.File)), own: own}, true
}

// sourceLabel names the instruction a source belongs to: "`COPY . .` (line 4)".
func sourceLabel(s *lint.ContextSource) string {
	if s.Ins.Kind == "run" {
		return "the bind mount of the RUN on line " + itoa(s.Ins.StartLine)
	}
	return "`" + instructionText(s.Ins) + "` (line " + itoa(s.Ins.StartLine) + ")"
}

// largest lists the biggest used parts of the context, drilling into a
// directory that holds most of its parent's bytes, at most n of them.
func (v contextView) largest(n int) []string {
	x, u := v.idx, v.usage
	type part struct {
		i    int
		size int64
	}
	var parts []part
	for i := 0; i < len(x.Entries); {
		if !u.Used[i] || v.own[x.Entries[i].Path] {
			i++
			continue
		}
		_, b := x.SentSize(i)
		parts = append(parts, part{i, b})
		i = x.End(i)
	}
	sort.Slice(parts, func(a, b int) bool { return parts[a].size > parts[b].size })
	if len(parts) > n {
		parts = parts[:n]
	}
	var out []string
	for _, pt := range parts {
		i := pt.i
		for x.Entries[i].IsDir() {
			best, bestSize := -1, int64(0)
			for j := i + 1; j < x.End(i); j = x.End(j) {
				if _, b := x.SentSize(j); b > bestSize {
					best, bestSize = j, b
				}
			}
			if best < 0 || bestSize*2 < pt.size {
				break
			}
			i = best
		}
		name := x.Entries[i].Path
		if x.Entries[i].IsDir() {
			name += "/"
		}
		_, b := x.SentSize(i)
		out = append(out, name+" ("+lint.FormatSize(b)+")")
	}
	return out
}

// ignoreName is how messages name the ignore file in use.
func ignoreName(idx *lint.ContextIndex) string {
	if idx.Ignore == nil {
		return ".dockerignore"
	}
	return path.Base(idx.Ignore.File)
}

// thousands prints 12345 as 12,345.
func thousands(n int) string {
	s := itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// sizeAndCount prints "34.5 MB in 1,203 files".
func sizeAndCount(files int, bytes int64) string {
	return lint.FormatSize(bytes) + " in " + thousands(files) + " " + plural(files, "file", "files")
}

// throughSymlink reports whether a parent directory of p is a symbolic link
// in the context (BuildKit follows those while resolving sources).
func throughSymlink(x *lint.ContextIndex, p string) bool {
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		if i := x.Lookup(d); i >= 0 && x.Entries[i].Kind == lint.KindSymlink {
			return true
		}
	}
	return false
}
