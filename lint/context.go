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
