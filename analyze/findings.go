package analyze

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/strata-dev/strata/analyze/layer"
)

// Finding is something in the image worth a look, with the bytes involved.
type Finding struct {
	Kind     FindingKind
	Severity Severity
	Path     PathID
	// Layer is the layer that stores the bytes; for deleted content, the
	// layer that deleted them is DeletedBy.
	Layer     int
	DeletedBy int
	Bytes     int64
	Files     int
	Message   string
	// Base is set when the finding comes from base-image layers only.
	Base bool
}

// FindingKind names a kind of finding.
type FindingKind string

// Kinds of findings.
const (
	KindCache         FindingKind = "cache"
	KindSecret        FindingKind = "secret"
	KindSetuid        FindingKind = "setuid"
	KindSetgid        FindingKind = "setgid"
	KindWorldWritable FindingKind = "world-writable"
	KindDeleted       FindingKind = "deleted-content"
)

// Severity orders findings.
type Severity string

// Severities, most severe first.
const (
	High   Severity = "high"
	Medium Severity = "medium"
	Low    Severity = "low"
	Info   Severity = "info"
)

var severityRank = map[Severity]int{High: 0, Medium: 1, Low: 2, Info: 3}

// findFindings inspects the final file system and every stored copy.
func findFindings(r *Result, events []deletion) []Finding {
	var out []Finding
	final := r.View(len(r.Layers) - 1)
	out = append(out, cacheFindings(r, final)...)
	out = append(out, secretFindings(r)...)
	final.Walk(func(id PathID, e *Entry) bool {
		if e == nil {
			return true
		}
		base := r.Layers[e.Layer].Base
		if e.Type == layer.File && e.Mode&04000 != 0 {
			out = append(out, Finding{Kind: KindSetuid, Severity: Low, Path: id, Layer: int(e.Layer), Bytes: e.Size, Files: 1,
				Message: fmt.Sprintf("setuid binary (owner %d)", e.UID), Base: base})
		}
		if e.Type == layer.File && e.Mode&02000 != 0 {
			out = append(out, Finding{Kind: KindSetgid, Severity: Low, Path: id, Layer: int(e.Layer), Bytes: e.Size, Files: 1,
				Message: fmt.Sprintf("setgid binary (group %d)", e.GID), Base: base})
		}
		ww := e.Mode&0o002 != 0 && (e.Type == layer.File || e.Type == layer.Dir && e.Mode&01000 == 0)
		if ww {
			what := "file"
			if e.Type == layer.Dir {
				what = "directory without the sticky bit"
			}
			out = append(out, Finding{Kind: KindWorldWritable, Severity: Medium, Path: id, Layer: int(e.Layer), Bytes: e.Size, Files: 1,
				Message: fmt.Sprintf("world-writable %s (mode %04o)", what, e.Mode), Base: base})
		}
		return true
	})
	for _, ev := range events {
		out = append(out, Finding{Kind: KindDeleted, Severity: Info, Path: ev.path, Layer: ev.stored, DeletedBy: ev.layer,
			Bytes: ev.bytes, Files: ev.files, Base: r.Layers[ev.layer].Base,
			Message: fmt.Sprintf("%s in layer %d removes %s stored below; the bytes still ship", ev.kind, ev.layer+1, plural(ev.files, "file"))})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Severity != b.Severity {
			return severityRank[a.Severity] < severityRank[b.Severity]
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Bytes != b.Bytes {
			return a.Bytes > b.Bytes
		}
		return r.Paths.rank[a.Path] < r.Paths.rank[b.Path]
	})
	return out
}

func cacheFindings(r *Result, final *View) []Finding {
	type agg struct {
		bytes        int64
		files, layer int
		top          PathID
		base         bool
	}
	found := map[int]*agg{}
	var prefixes []string
	for _, rule := range cacheRules {
		for _, p := range rule.patterns {
			prefixes = append(prefixes, literalPrefix(p))
		}
	}
	// Walk only the directories a cache pattern can lie in, building
	// paths as we go down.
	var walk func(id PathID, p string)
	walk = func(id PathID, p string) {
		for _, c := range final.Children(id) {
			cp := p + "/" + r.Paths.Name(c)
			e := final.Entry(c)
			if final.IsDir(c) {
				if mayHold(prefixes, cp+"/") {
					walk(c, cp)
				}
				continue
			}
			if e == nil || e.Type != layer.File {
				continue
			}
			for i, rule := range cacheRules {
				if !matchesAny(rule.patterns, cp) || contains(rule.skip, r.Paths.Name(c)) {
					continue
				}
				a := found[i]
				if a == nil {
					a = &agg{top: c, base: true}
					found[i] = a
				}
				a.bytes += e.Size
				a.files++
				a.layer = max(a.layer, int(e.Layer))
				a.base = a.base && r.Layers[e.Layer].Base
				a.top = commonDir(r.Paths, a.top, c)
				break
			}
		}
	}
	walk(Root, "")
	var out []Finding
	for i, a := range found {
		out = append(out, Finding{Kind: KindCache, Severity: Medium, Path: a.top, Layer: a.layer, Bytes: a.bytes, Files: a.files, Base: a.base,
			Message: fmt.Sprintf("%s cache or package lists left in the image (%s)", cacheRules[i].tool, plural(a.files, "file"))})
	}
	return out
}

// mayHold reports whether a directory ("/var/lib/") can hold a path that
// starts with one of the literal prefixes.
func mayHold(prefixes []string, dir string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(p, dir) || strings.HasPrefix(dir, p) {
			return true
		}
	}
	return false
}

func matchesAny(patterns []string, p string) bool {
	for _, pat := range patterns {
		if strings.HasPrefix(p, literalPrefix(pat)) && MatchPath(pat, p) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// commonDir is the deepest directory holding both paths.
func commonDir(p *Paths, a, b PathID) PathID {
	if a == b {
		return p.parent[a]
	}
	depth := func(x PathID) int { return p.Depth(x) }
	da, db := depth(a), depth(b)
	for da > db {
		a, da = p.parent[a], da-1
	}
	for db > da {
		b, db = p.parent[b], db-1
	}
	for a != b {
		a, b = p.parent[a], p.parent[b]
	}
	return a
}

// secretFindings looks at every stored copy: deleting a secret in a later
// layer does not remove it from the image.
func secretFindings(r *Result) []Finding {
	var out []Finding
	seen := map[PathID]bool{}
	for i := range r.Entries {
		e := &r.Entries[i]
		if e.Type != layer.File || seen[e.Path] || !e.key() && !secretName(r.Paths.Name(e.Path)) {
			continue
		}
		p := r.Paths.String(e.Path)
		what := ""
		switch {
		case e.key():
			what = "private key"
		case dotenv(path.Base(p)):
			what = "environment file (.env)"
		default:
			for suffix, name := range secretSuffixes {
				if strings.HasSuffix(p, suffix) {
					what = name
				}
			}
		}
		if what == "" {
			continue
		}
		seen[e.Path] = true
		msg := what
		if e.Until != Forever {
			msg += fmt.Sprintf(" (removed in layer %d, but still stored in layer %d)", e.Until+1, e.Layer+1)
		}
		out = append(out, Finding{Kind: KindSecret, Severity: High, Path: e.Path, Layer: int(e.Layer), Bytes: e.Size, Files: 1,
			Message: msg, Base: r.Layers[e.Layer].Base})
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// secretName tells, from a base name alone, whether a file may be a
// credential file (the full path is checked after).
func secretName(base string) bool {
	if dotenv(base) {
		return true
	}
	for suffix := range secretSuffixes {
		if strings.HasSuffix(suffix, "/"+base) {
			return true
		}
	}
	return false
}
