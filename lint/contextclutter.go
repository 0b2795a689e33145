package lint

import (
	"path"
	"strings"
)

// ClutterKind names what a context entry is when it is something the
// image rarely needs.
type ClutterKind string

// Kinds of clutter. The first five are what rule ST2002 reports; the
// others only show in `strata context`.
const (
	ClutterVCS         ClutterKind = "version control"
	ClutterNodeModules ClutterKind = "node_modules"
	ClutterVendor      ClutterKind = "vendored dependencies"
	ClutterBuildOutput ClutterKind = "build output"
	ClutterPyCache     ClutterKind = "__pycache__"
	ClutterVirtualenv  ClutterKind = "virtualenv"
	ClutterEditor      ClutterKind = "editor settings"
	ClutterDatabase    ClutterKind = "database file"
	ClutterLog         ClutterKind = "log file"
	ClutterOSJunk      ClutterKind = "OS metadata"
	ClutterTestCache   ClutterKind = "test or tool cache"
)

// Clutter says whether entry i is something a build context usually should
// not send, and the ignore pattern that would keep it out. Directories are
// judged by name and by their neighbours: vendor is composer's or
// bundler's only beside composer.json or a Gemfile (never beside go.mod),
// target is build output only beside Cargo.toml or pom.xml, and a
// virtualenv is a directory holding pyvenv.cfg.
func (x *ContextIndex) Clutter(i int) (kind ClutterKind, pattern string) {
	e := &x.Entries[i]
	p := e.Path
	name := path.Base(p)
	anywhere := func(n string) string {
		if p == n {
			return n
		}
		return "**/" + n
	}
	if !e.IsDir() {
		lower := strings.ToLower(name)
		switch {
		case lower == ".ds_store" || lower == "thumbs.db":
			return ClutterOSJunk, "**/" + name
		case strings.HasSuffix(lower, ".sqlite") || strings.HasSuffix(lower, ".sqlite3") || strings.HasSuffix(lower, ".db"):
			return ClutterDatabase, p
		case strings.HasSuffix(lower, ".log"):
			return ClutterLog, "**/*.log"
		}
		return "", ""
	}
	switch name {
	case ".git", ".hg", ".svn", ".bzr":
		return ClutterVCS, anywhere(name)
	case "node_modules", "bower_components":
		return ClutterNodeModules, anywhere(name)
	case "__pycache__":
		return ClutterPyCache, anywhere(name)
	case ".idea", ".vscode":
		return ClutterEditor, anywhere(name)
	case ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".nox", ".gradle", ".terraform", ".next", ".nuxt", "coverage", ".nyc_output":
		return ClutterTestCache, anywhere(name)
	case "vendor":
		if x.sibling(i, "composer.json", "Gemfile") && !x.sibling(i, "go.mod") {
			return ClutterVendor, p
		}
	case "target":
		if x.sibling(i, "Cargo.toml", "pom.xml") {
			return ClutterBuildOutput, p
		}
	}
	if x.Lookup(p+"/pyvenv.cfg") >= 0 {
		return ClutterVirtualenv, p
	}
	return "", ""
}

// sibling reports whether the directory holding entry i also holds one of
// names.
func (x *ContextIndex) sibling(i int, names ...string) bool {
	dir := path.Dir(x.Entries[i].Path)
	for _, n := range names {
		if x.Lookup(path.Join(dir, n)) >= 0 {
			return true
		}
	}
	return false
}
