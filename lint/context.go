package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// NewBuildContext returns the build context rooted at dir. It fails when
// dir is not a directory or its .dockerignore cannot be read or parsed, so
// that a bad context is a usage error, not a silent skip.
func NewBuildContext(dir string) (*BuildContext, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("build context: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("build context %s is not a directory", dir)
	}
	c := &BuildContext{Dir: dir}
	if _, err := c.IgnoreFor(""); err != nil {
		return nil, err
	}
	return c, nil
}

// Ignore is a parsed ignore file: the patterns that keep files out of the
// build context, read and matched exactly as BuildKit does.
type Ignore struct {
	// File is the path of the ignore file.
	File string
	// Patterns are its patterns, cleaned as BuildKit cleans them.
	Patterns []string
	matcher  *patternmatcher.PatternMatcher
	mu       sync.Mutex // the matcher compiles patterns lazily
}

// Matcher is BuildKit's matcher for the patterns.
func (ig *Ignore) Matcher() *patternmatcher.PatternMatcher { return ig.matcher }

// Excludes reports whether path (slash-separated, relative to the context
// root) or one of its parent directories is excluded.
func (ig *Ignore) Excludes(path string) (bool, error) {
	ig.mu.Lock()
	defer ig.mu.Unlock()
	return ig.matcher.MatchesOrParentMatches(path)
}

// Why returns the last pattern that decides whether path is excluded (an
// exception, "!pattern", when it brings the path back), or "".
func (ig *Ignore) Why(path string) string {
	why := ""
	for _, p := range ig.Patterns {
		pat := strings.TrimPrefix(p, "!")
		if ok, _ := patternmatcher.MatchesOrParentMatches(path, []string{pat}); ok {
			why = p
		}
	}
	return why
}

type ignoreEntry struct {
	once sync.Once
	ig   *Ignore
	err  error
}

// IgnoreFor returns the ignore rules BuildKit applies when building the
// Dockerfile at dockerfile with this context: <dockerfile>.dockerignore when
// that file exists, else the context's .dockerignore; nil when neither
// exists. dockerfile may be "" (or "-" for standard input). Files are read
// once.
func (c *BuildContext) IgnoreFor(dockerfile string) (*Ignore, error) {
	if dockerfile == "-" {
		dockerfile = ""
	}
	v, _ := c.ignores.LoadOrStore(dockerfile, &ignoreEntry{})
	e := v.(*ignoreEntry)
	e.once.Do(func() {
		if dockerfile != "" {
			e.ig, e.err = readIgnore(dockerfile + ".dockerignore")
			if e.ig != nil || e.err != nil {
				return
			}
		}
		if dockerfile == "" {
			e.ig, e.err = readIgnore(filepath.Join(c.Dir, ".dockerignore"))
			return
		}
		e.ig, e.err = c.IgnoreFor("")
	})
	return e.ig, e.err
}

// readIgnore parses an ignore file; a missing file is not an error.
func readIgnore(path string) (*Ignore, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	patterns, err := ignorefile.ReadAll(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	m, err := patternmatcher.New(patterns)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	return &Ignore{File: path, Patterns: patterns, matcher: m}, nil
}

// projectMarkers are files that mark the root of a project, which is where
// builds usually take their context from.
var projectMarkers = []string{
	".git", ".gitignore", ".hg", "go.mod", "package.json", "requirements.txt", "pyproject.toml", "setup.py", "Pipfile",
	"Gemfile", "Cargo.toml", "pom.xml", "build.gradle", "build.gradle.kts", "composer.json", "mix.exs", "Makefile",
}

// MaxDockerfilesInContext is how many Dockerfiles a directory may hold and
// still be taken for a build context without an ignore file: more make it
// a collection of them.
const MaxDockerfilesInContext = 5

// PlausibleContext reports whether the directory of the Dockerfile at
// dockerfile is, without being told, likely its build context, for the
// context rules of `strata lint`: an ignore file beside it
// (.dockerignore, or NAME.dockerignore) says so; otherwise the directory
// must hold at most a few Dockerfiles (dockerfiles is how many are being
// linted there), look like a project (a VCS or build manifest, a file that
// one of the Dockerfile's COPY or ADD instructions names, or other files
// for a COPY . to take in: docker build . is the default), and not
// look like a subdirectory of the real context: a source the directory
// lacks but a parent directory has (COPY services/api/go.mod ./, built from
// the repository root) means the context is elsewhere.
func PlausibleContext(dockerfile string, dockerfiles int) bool {
	dir := filepath.Dir(dockerfile)
	if regularFile(filepath.Join(dir, ".dockerignore")) || regularFile(dockerfile+".dockerignore") {
		return true
	}
	if dockerfiles > MaxDockerfilesInContext {
		return false
	}
	marked := false
	for _, m := range projectMarkers {
		if _, err := os.Lstat(filepath.Join(dir, m)); err == nil {
			marked = true
			break
		}
	}
	data, err := os.ReadFile(dockerfile)
	if err != nil {
		return false
	}
	found, whole := false, false
	for _, s := range ContextSources(Parse(NewSource(dockerfile, data))) {
		if s.Path == "." && s.Ins.Kind != "run" {
			whole = true // COPY . . takes whatever the directory holds
			continue
		}
		if s.Path == "." || s.Wildcard || s.Unresolved {
			continue
		}
		rel := filepath.FromSlash(s.Path)
		if _, err := os.Lstat(filepath.Join(dir, rel)); err == nil {
			found = true
			continue
		}
		if inParent(dir, rel) {
			return false
		}
	}
	return marked || found || whole && holdsMoreThanDockerfiles(dir)
}

// holdsMoreThanDockerfiles reports whether dir has an entry that is not a
// Dockerfile: something for a COPY . to take in.
func holdsMoreThanDockerfiles(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !IsDockerfileName(e.Name()) {
			return true
		}
	}
	return false
}

// inParent reports whether rel exists under a parent of dir, up to the
// repository root (a directory holding .git) or five levels up.
func inParent(dir, rel string) bool {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false
	}
	for i := 0; i < 5; i++ {
		if _, err := os.Lstat(filepath.Join(abs, ".git")); err == nil {
			return false // the repository root: no context above it
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return false
		}
		abs = parent
		if _, err := os.Lstat(filepath.Join(abs, rel)); err == nil {
			return true
		}
	}
	return false
}

func regularFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
