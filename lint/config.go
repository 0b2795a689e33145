package lint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Threshold is the least severe finding that fails a run. ThresholdNone
// never fails.
type Threshold struct {
	Severity Severity
	None     bool
}

// Fails reports whether a finding of severity s fails the run.
func (t Threshold) Fails(s Severity) bool { return !t.None && s != SeverityOff && s >= t.Severity }

func (t Threshold) String() string {
	if t.None {
		return "none"
	}
	return t.Severity.String()
}

// DefaultThreshold is hadolint's: info and above fail.
var DefaultThreshold = Threshold{Severity: SeverityInfo}

// ParseThreshold accepts error, warning, info, style, ignore and none.
func ParseThreshold(s string) (Threshold, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "none":
		return Threshold{None: true}, nil
	case "ignore":
		return Threshold{Severity: SeverityStyle}, nil
	}
	sev, err := ParseSeverity(s)
	if err != nil || sev == SeverityOff {
		return Threshold{}, fmt.Errorf("unknown failure threshold %q (want error, warning, info, style or none)", s)
	}
	return Threshold{Severity: sev}, nil
}

// Config is a configuration file: hadolint's keys exactly, plus strata's.
type Config struct {
	// Path is the file it was read from ("" for the defaults).
	Path string

	Ignored             []string
	Override            map[string]Severity
	FailureThreshold    *Threshold
	TrustedRegistries   []string
	LabelSchema         []LabelSpec
	StrictLabels        bool
	DisableIgnorePragma bool
	NoFail              bool
	NoColor             bool
	Formats             []string
	Verbose             bool

	// strata's own keys.
	Select     []string
	Preview    bool
	ShellCheck *bool
	// ContextBudget overrides the oversized-context budget (bytes).
	ContextBudget int64
	// Sections holds the nodes of sections other packages decode
	// (analyze:), keyed by name.
	Sections map[string]*yaml.Node

	// refs are the rule-list entries, with where they were written, for
	// CheckRules; formatRefs are the format names, for CheckFormats.
	refs       []ruleRef
	formatRefs []ruleRef
}

type ruleRef struct {
	key  string
	line int
	code string
	kind RefKind
}

// CheckRules reports the first entry of ignored, select or override that
// names no rule of the registry, as a ConfigError naming the file, line and
// key. ParseConfig cannot do it: the registry lives in another package.
func (c *Config) CheckRules(registry []*Rule) error {
	if c == nil {
		return nil
	}
	for _, r := range c.refs {
		if err := CheckRuleRef(registry, r.code, r.kind); err != nil {
			return &ConfigError{Path: c.Path, Line: r.line, Key: r.key, Msg: err.Error()}
		}
	}
	return nil
}

// CheckFormats reports the first format or formats entry that check
// rejects, as a ConfigError naming the file, line and key. ParseConfig
// cannot do it: the report formats live in another package.
func (c *Config) CheckFormats(check func(name string) error) error {
	if c == nil {
		return nil
	}
	for _, r := range c.formatRefs {
		if err := check(r.code); err != nil {
			return &ConfigError{Path: c.Path, Line: r.line, Key: r.key, Msg: err.Error()}
		}
	}
	return nil
}

// ConfigFileNames are searched, in this order, in each directory.
var ConfigFileNames = []string{".strata.yaml", ".strata.yml", ".hadolint.yaml", ".hadolint.yml"}

// sectionKeys are top-level keys decoded elsewhere.
var sectionKeys = map[string]bool{"analyze": true}

// ConfigError is a problem in a configuration file, with its position.
type ConfigError struct {
	Path string
	Line int
	Key  string
	Msg  string
}

func (e *ConfigError) Error() string {
	where := e.Path
	if e.Line > 0 {
		where += ":" + strconv.Itoa(e.Line)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %s: %s", where, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s: %s", where, e.Msg)
}

// LoadConfig reads and validates a configuration file.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig validates configuration text. Unknown keys and bad values
// are errors that name the file, line and key.
func ParseConfig(path string, data []byte) (*Config, error) {
	cfg := &Config{Path: path}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &ConfigError{Path: path, Msg: strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return cfg, nil // empty file
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return cfg, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, &ConfigError{Path: path, Line: root.Line, Msg: "the configuration must be a mapping of keys to values"}
	}
	d := decoder{path: path}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			return nil, d.errf(k, k.Value, "duplicate key")
		}
		seen[k.Value] = true
		if err := d.key(cfg, k, v); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

type decoder struct{ path string }

func (d decoder) errf(n *yaml.Node, key, format string, args ...any) error {
	return &ConfigError{Path: d.path, Line: n.Line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

func (d decoder) key(cfg *Config, k, v *yaml.Node) error {
	var err error
	switch k.Value {
	case "ignored":
		cfg.Ignored, err = d.codes(cfg, k.Value, v, RefSelector)
	case "override":
		cfg.Override, err = d.override(cfg, v)
	case "failure-threshold":
		var s string
		if s, err = d.str(k.Value, v); err == nil {
			var t Threshold
			if t, err = ParseThreshold(s); err != nil {
				return d.errf(v, k.Value, "%v", err)
			}
			cfg.FailureThreshold = &t
		}
	case "trustedRegistries":
		cfg.TrustedRegistries, err = d.strs(k.Value, v, true)
	case "label-schema":
		cfg.LabelSchema, err = d.labelSchema(v)
	case "strict-labels":
		cfg.StrictLabels, err = d.boolean(k.Value, v)
	case "disable-ignore-pragma":
		cfg.DisableIgnorePragma, err = d.boolean(k.Value, v)
	case "no-fail":
		cfg.NoFail, err = d.boolean(k.Value, v)
	case "no-color":
		cfg.NoColor, err = d.boolean(k.Value, v)
	case "verbose":
		cfg.Verbose, err = d.boolean(k.Value, v)
	case "format":
		var s string
		if s, err = d.str(k.Value, v); err == nil {
			cfg.Formats = append(cfg.Formats, s)
			cfg.formatRefs = append(cfg.formatRefs, ruleRef{key: k.Value, line: v.Line, code: s})
		}
	case "formats":
		var ss []string
		if ss, err = d.strs(k.Value, v, false); err == nil {
			cfg.Formats = append(cfg.Formats, ss...)
			for i, s := range ss {
				line := v.Line
				if v.Kind == yaml.SequenceNode && i < len(v.Content) {
					line = v.Content[i].Line
				}
				cfg.formatRefs = append(cfg.formatRefs, ruleRef{key: k.Value, line: line, code: s})
			}
		}
	case "select":
		cfg.Select, err = d.codes(cfg, k.Value, v, RefSelector)
	case "preview":
		cfg.Preview, err = d.boolean(k.Value, v)
	case "shellcheck":
		var b bool
		if b, err = d.boolean(k.Value, v); err == nil {
			cfg.ShellCheck = &b
		}
	case "context-budget":
		var s string
		if s, err = d.str(k.Value, v); err == nil {
			n, perr := ParseSize(s)
			if perr != nil {
				return d.errf(v, k.Value, "%v", perr)
			}
			cfg.ContextBudget = n
		}
	default:
		if sectionKeys[k.Value] {
			if cfg.Sections == nil {
				cfg.Sections = map[string]*yaml.Node{}
			}
			cfg.Sections[k.Value] = v
			return nil
		}
		return d.errf(k, k.Value, "unknown key (known keys: %s)", strings.Join(knownKeys(), ", "))
	}
	return err
}

func knownKeys() []string {
	keys := []string{"ignored", "override", "failure-threshold", "trustedRegistries", "label-schema",
		"strict-labels", "disable-ignore-pragma", "no-fail", "no-color", "verbose", "format", "formats",
		"select", "preview", "shellcheck", "context-budget"}
	for k := range sectionKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func (d decoder) str(key string, v *yaml.Node) (string, error) {
	if v.Kind != yaml.ScalarNode {
		return "", d.errf(v, key, "want a single value")
	}
	return v.Value, nil
}

func (d decoder) boolean(key string, v *yaml.Node) (bool, error) {
	if v.Kind == yaml.ScalarNode {
		switch strings.ToLower(v.Value) {
		case "true", "yes", "on", "y", "1":
			return true, nil
		case "false", "no", "off", "n", "0":
			return false, nil
		}
	}
	return false, d.errf(v, key, "want true or false, got %q", v.Value)
}

// strs accepts a list of strings, or a single string when single is true.
func (d decoder) strs(key string, v *yaml.Node, single bool) ([]string, error) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil, nil
	}
	if single && v.Kind == yaml.ScalarNode {
		return []string{v.Value}, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, d.errf(v, key, "want a list")
	}
	out := make([]string, 0, len(v.Content))
	for _, it := range v.Content {
		if it.Kind != yaml.ScalarNode {
			return nil, d.errf(it, key, "want a list of strings")
		}
		out = append(out, it.Value)
	}
	return out, nil
}

func (d decoder) codes(cfg *Config, key string, v *yaml.Node, kind RefKind) ([]string, error) {
	codes, err := d.strs(key, v, false)
	if err != nil {
		return nil, err
	}
	for i, c := range codes {
		if strings.TrimSpace(c) == "" {
			return nil, d.errf(v.Content[i], key, "empty rule code")
		}
		cfg.refs = append(cfg.refs, ruleRef{key: key, line: v.Content[i].Line, code: c, kind: kind})
	}
	return codes, nil
}

func (d decoder) override(cfg *Config, v *yaml.Node) (map[string]Severity, error) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil, nil
	}
	if v.Kind != yaml.MappingNode {
		return nil, d.errf(v, "override", "want a mapping of severities (error, warning, info, style) to lists of codes")
	}
	out := map[string]Severity{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, list := v.Content[i], v.Content[i+1]
		sev, err := ParseSeverity(k.Value)
		if err != nil || sev == SeverityOff {
			if k.Value == "ignore" || k.Value == "off" {
				sev = SeverityOff
			} else {
				return nil, d.errf(k, "override."+k.Value, "unknown severity (want error, warning, info, style or off)")
			}
		}
		codes, err := d.codes(cfg, "override."+k.Value, list, RefCode)
		if err != nil {
			return nil, err
		}
		for _, c := range codes {
			out[strings.TrimSpace(c)] = sev
		}
	}
	return out, nil
}

var labelTypes = map[string]bool{"text": true, "url": true, "semver": true, "hash": true, "rfc3339": true, "spdx": true, "email": true}

func (d decoder) labelSchema(v *yaml.Node) ([]LabelSpec, error) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return nil, nil
	}
	if v.Kind != yaml.MappingNode {
		return nil, d.errf(v, "label-schema", "want a mapping of label names to types")
	}
	var out []LabelSpec
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, t := v.Content[i], v.Content[i+1]
		typ := t.Value
		if typ == "" {
			typ = "text"
		}
		if t.Kind != yaml.ScalarNode || !labelTypes[typ] {
			return nil, d.errf(t, "label-schema."+k.Value, "unknown label type %q (want text, url, semver, hash, rfc3339, spdx or email)", t.Value)
		}
		out = append(out, LabelSpec{Name: k.Value, Type: typ})
	}
	return out, nil
}

// ParseSize parses a byte size such as 100MB, 1.5GiB or 2048.
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(strings.ToUpper(s))
	units := []struct {
		suffix string
		mult   float64
	}{{"KIB", 1 << 10}, {"MIB", 1 << 20}, {"GIB", 1 << 30}, {"TIB", 1 << 40},
		{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("invalid size %q (want e.g. 100MB, 1.5GiB or 2048)", s)
	}
	return int64(f * mult), nil
}

// FindConfig looks for a configuration file for a Dockerfile in dir: from
// dir up to the repository root (the first directory holding .git), then
// $XDG_CONFIG_HOME/hadolint.yaml (or ~/.config/hadolint.yaml). It returns
// "" when there is none.
func FindConfig(dir string, getenv func(string) string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	for {
		for _, name := range ConfigFileNames {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p
			}
		}
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil || !errors.Is(err, fs.ErrNotExist) {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	xdg := getenv("XDG_CONFIG_HOME")
	if xdg == "" {
		if home := getenv("HOME"); home != "" {
			xdg = filepath.Join(home, ".config")
		}
	}
	if xdg != "" {
		for _, name := range []string{"hadolint.yaml", "hadolint.yml"} {
			p := filepath.Join(xdg, name)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				return p
			}
		}
	}
	return ""
}
