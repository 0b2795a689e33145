// Package gate evaluates CI gates on an analysis: dive's .dive-ci rules,
// computed on dive's figures so existing thresholds keep their meaning,
// and strata's own rules from the analyze section of .strata.yaml.
package gate

import (
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/strata-dev/strata/analyze"
)

// DiveRules are .dive-ci's rules; nil means disabled.
type DiveRules struct {
	LowestEfficiency         *float64
	HighestWastedBytes       *float64
	HighestUserWastedPercent *float64
	// Origins says where each rule's limit came from, by rule name:
	// FromDiveCI or FromFlag; a rule not listed has dive's default.
	Origins map[string]string
}

// Where a gate's limit came from (Result.From).
const (
	FromDefault = "default"
	FromFlag    = "flag"
	FromDiveCI  = ".dive-ci"
	FromStrata  = ".strata.yaml"
)

// SetOrigin records where the named rule's limit came from.
func (d *DiveRules) SetOrigin(rule, from string) {
	if d.Origins == nil {
		d.Origins = map[string]string{}
	}
	d.Origins[rule] = from
}

func (d DiveRules) origin(rule string) string {
	if o := d.Origins[rule]; o != "" {
		return o
	}
	return FromDefault
}

// DefaultDiveRules are dive's defaults when no file says otherwise.
func DefaultDiveRules() DiveRules {
	e, p := 0.9, 0.1
	return DiveRules{LowestEfficiency: &e, HighestUserWastedPercent: &p}
}

// Rules are strata's own gates (.strata.yaml, section analyze).
type Rules struct {
	MaxSize        *int64   `yaml:"-"`
	MaxLayerSize   *int64   `yaml:"-"`
	MaxLayers      *int64   `yaml:"-"`
	MaxWastedBytes *int64   `yaml:"-"`
	MinEfficiency  *float64 `yaml:"-"`
	ForbidPaths    []string `yaml:"-"`
}

// Keys of the analyze section, for the configuration loader of lint.
var Keys = []string{"max-size", "max-layer-size", "max-layers", "max-wasted-bytes", "min-efficiency", "forbid-paths"}

// LoadDiveCI reads a .dive-ci file over dive's defaults. A missing file
// gives the defaults when optional is set.
func LoadDiveCI(path string, optional bool) (DiveRules, error) {
	rules := DefaultDiveRules()
	b, err := os.ReadFile(path)
	if err != nil {
		if optional && errors.Is(err, os.ErrNotExist) {
			return rules, nil
		}
		return rules, err
	}
	var doc struct {
		Rules map[string]yaml.Node `yaml:"rules"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return rules, fmt.Errorf("%s: %w", path, err)
	}
	for k, v := range doc.Rules {
		var target **float64
		switch k {
		case "lowestEfficiency":
			target = &rules.LowestEfficiency
		case "highestWastedBytes":
			target = &rules.HighestWastedBytes
		case "highestUserWastedPercent":
			target = &rules.HighestUserWastedPercent
		default:
			return rules, fmt.Errorf("%s: unknown rule %q", path, k)
		}
		val, err := ParseDiveValue(k, v.Value)
		if err != nil {
			return rules, fmt.Errorf("%s: %w", path, err)
		}
		*target = val
		rules.SetOrigin(k, FromDiveCI)
	}
	return rules, nil
}

// ParseDiveValue parses a dive rule value ("disabled" gives nil); sizes
// such as "20MB" are allowed for highestWastedBytes.
func ParseDiveValue(key, s string) (*float64, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "disabled", "off", "false":
		return nil, nil
	}
	if key == "highestWastedBytes" {
		n, err := ParseSize(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		f := float64(n)
		return &f, nil
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(f) {
		return nil, fmt.Errorf("%s: %q is not a number", key, s)
	}
	return &f, nil
}

// LoadStrata reads the analyze section of a .strata.yaml. Other sections
// belong to other commands and are ignored here.
func LoadStrata(path string, optional bool) (Rules, error) {
	var rules Rules
	b, err := os.ReadFile(path)
	if err != nil {
		if optional && errors.Is(err, os.ErrNotExist) {
			return rules, nil
		}
		return rules, err
	}
	var doc struct {
		Analyze map[string]yaml.Node `yaml:"analyze"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return rules, fmt.Errorf("%s: %w", path, err)
	}
	for k, v := range doc.Analyze {
		if err := setRule(&rules, k, v); err != nil {
			return rules, fmt.Errorf("%s: analyze.%s: %w", path, k, err)
		}
	}
	return rules, nil
}

func setRule(r *Rules, key string, v yaml.Node) error {
	size := func(dst **int64) error {
		n, err := ParseSize(v.Value)
		if err == nil {
			*dst = &n
		}
		return err
	}
	switch key {
	case "max-size":
		return size(&r.MaxSize)
	case "max-layer-size":
		return size(&r.MaxLayerSize)
	case "max-wasted-bytes":
		return size(&r.MaxWastedBytes)
	case "max-layers":
		n, err := strconv.ParseInt(v.Value, 10, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("%q is not a count", v.Value)
		}
		r.MaxLayers = &n
	case "min-efficiency":
		f, err := strconv.ParseFloat(v.Value, 64)
		if err != nil || f < 0 || f > 1 {
			return fmt.Errorf("%q is not a ratio between 0 and 1", v.Value)
		}
		r.MinEfficiency = &f
	case "forbid-paths":
		var paths []string
		if err := v.Decode(&paths); err != nil {
			return fmt.Errorf("want a list of globs")
		}
		for _, p := range paths {
			if !analyze.ValidGlob(p) {
				return fmt.Errorf("invalid glob %q", p)
			}
		}
		r.ForbidPaths = paths
	default:
		return fmt.Errorf("unknown key (known: %s)", strings.Join(Keys, ", "))
	}
	return nil
}

var sizeRE = regexp.MustCompile(`^\s*([0-9]+(?:\.[0-9]+)?)\s*([kKmMgGtTpP]?)(i?)[bB]?\s*$`)

// ParseSize reads "20MB" (decimal units, as dive reads them), "20MiB"
// (binary) or a plain number of bytes.
func ParseSize(s string) (int64, error) {
	m := sizeRE.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	f, _ := strconv.ParseFloat(m[1], 64)
	base := 1000.0
	if m[3] != "" {
		base = 1024
	}
	exp := strings.Index("kmgtp", strings.ToLower(m[2])) + 1
	if m[2] == "" {
		exp = 0
	}
	v := f * math.Pow(base, float64(exp))
	if v > math.MaxInt64/2 {
		return 0, fmt.Errorf("%q is too big", s)
	}
	return int64(v), nil
}
