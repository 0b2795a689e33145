package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// SARIF 2.1.0, as read by GitHub code scanning, Azure DevOps and the SARIF
// viewers. Only the parts strata fills are modelled.

const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	// ToolURI is strata's home page, recorded by the formats that name
	// their tool.
	ToolURI = "https://github.com/strata-dev/strata"
	// srcRoot is the base of relative artifact URIs: the directory strata
	// ran in, which GitHub's upload-sarif resolves against the checkout.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names strata's fingerprint in partialFingerprints.
	fingerprintKey = "strata/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Artifacts          []sarifArtifact             `json:"artifacts,omitempty"`
	Results            []sarifResult               `json:"results"`
	Invocations        []sarifInvocation           `json:"invocations,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
}

// sarifInvocation is written when some file could not be linted: the run
// did not succeed, and each such file has a notification.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name,omitempty"`
	ShortDescription     sarifText           `json:"shortDescription"`
	FullDescription      sarifText           `json:"fullDescription"`
	Help                 sarifText           `json:"help"`
	HelpURI              string              `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig     `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperties struct {
	Tags      []string `json:"tags"`
	Precision string   `json:"precision"`
}

type sarifArtifact struct {
	Location sarifArtifactLoc `json:"location"`
	// SourceLanguage helps viewers highlight the file.
	SourceLanguage string `json:"sourceLanguage,omitempty"`
}

type sarifArtifactLoc struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Index       *int       `json:"index,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []sarifFix        `json:"fixes,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine   int        `json:"startLine"`
	StartColumn int        `json:"startColumn"`
	EndLine     int        `json:"endLine"`
	EndColumn   int        `json:"endColumn"`
	Snippet     *sarifText `json:"snippet,omitempty"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

// SARIF writes one SARIF 2.1.0 log with one run: a tool.driver.rules entry
// for each rule that reported (with its docs as help), and one result per
// diagnostic with its exact region, a fingerprint that survives unrelated
// edits, and the fix when one is known.
func SARIF(w io.Writer, results []FileResult, summary Summary, opts Options) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name: "strata", Version: sarifToolVersion(opts.Version), InformationURI: ToolURI, Rules: []sarifRule{},
		}},
		Results:    []sarifResult{},
		ColumnKind: "unicodeCodePoints",
	}
	ruleIndex := sarifRules(results, &run.Tool.Driver)
	relative := false
	for _, r := range results {
		if r.Source == nil {
			continue
		}
		loc := sarifArtifactLocation(r.Source.Path)
		relative = relative || loc.URIBaseID != ""
		idx := len(run.Artifacts)
		run.Artifacts = append(run.Artifacts, sarifArtifact{Location: loc, SourceLanguage: "dockerfile"})
		loc.Index = &idx
		prints := fingerprints(r)
		for i, d := range r.Diagnostics {
			dloc := loc
			if d.File != r.Source.Path {
				dloc = sarifArtifactLocation(d.File)
			}
			res := sarifResult{
				RuleID: d.Code, RuleIndex: ruleIndex[d.Code], Level: sarifLevel(d.Severity),
				Message: sarifText{Text: messageWithHelp(d)},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
					ArtifactLocation: dloc, Region: withSnippet(sarifRangeRegion(d.Range), r.Source, d.Range),
				}}},
				PartialFingerprints: map[string]string{fingerprintKey: prints[i]},
			}
			if fix, ok := sarifFixOf(d.Fix, dloc); ok {
				res.Fixes = []sarifFix{fix}
			}
			run.Results = append(run.Results, res)
		}
	}
	if len(summary.FileErrors) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: false}
		for _, fe := range summary.FileErrors {
			n := sarifNotification{Level: "error", Message: sarifText{Text: fe.Message}}
			if fe.Path != "" {
				loc := sarifArtifactLocation(fe.Path)
				relative = relative || loc.URIBaseID != ""
				n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: loc}}}
			}
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
		}
		run.Invocations = []sarifInvocation{inv}
	}
	if relative {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{
			srcRoot: {Description: &sarifText{Text: "The root of the relative file paths: the repository (GITHUB_WORKSPACE) on GitHub Actions, else the directory strata was run in."}},
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// sarifRules fills the driver's rules, one per code that reported, sorted
// by code, and returns each code's index.
func sarifRules(results []FileResult, driver *sarifDriver) map[string]int {
	first := map[string]lint.Diagnostic{}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if _, ok := first[d.Code]; !ok {
				first[d.Code] = d
			}
		}
	}
	codes := make([]string, 0, len(first))
	for c := range first {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	index := make(map[string]int, len(codes))
	for i, c := range codes {
		index[c] = i
		driver.Rules = append(driver.Rules, sarifRuleOf(first[c]))
	}
	return index
}

// sarifRuleOf describes the rule behind a diagnostic. A diagnostic of a
// family of codes (ShellCheck's SC2086 under the rule SC) is described by
// the family's docs and its own URL.
func sarifRuleOf(d lint.Diagnostic) sarifRule {
	rule := d.Rule()
	sr := sarifRule{
		ID: d.Code, HelpURI: d.URL,
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(d.Severity)},
		Properties:           sarifRuleProperties{Tags: []string{"dockerfile"}, Precision: "very-high"},
	}
	if rule == nil {
		sr.ShortDescription = sarifText{Text: d.Code}
		sr.FullDescription = sarifText{Text: d.Code}
		sr.Help = sarifText{Text: "See " + d.URL, Markdown: "See [" + d.Code + "](" + d.URL + ")."}
		return sr
	}
	sr.Properties.Tags = append(sr.Properties.Tags, string(rule.Origin))
	sr.DefaultConfiguration.Level = sarifLevel(rule.Severity)
	what := strings.TrimSpace(rule.Docs.What)
	if rule.Code != d.Code {
		sr.ShortDescription = sarifText{Text: d.Code + ": " + rule.Summary}
		sr.FullDescription = sarifText{Text: what}
		sr.Help = sarifText{
			Text:     d.Code + ": see " + d.URL + "\n\n" + what,
			Markdown: "[" + d.Code + "](" + d.URL + ")\n\n" + lint.RuleMarkdown(rule),
		}
		return sr
	}
	// SARIF wants a name that differs from the id, or none: BuildKit's
	// rules are already named by their codes.
	if n := pascalCase(rule.Name); !strings.EqualFold(n, rule.Code) {
		sr.Name = n
	}
	sr.ShortDescription = sarifText{Text: rule.Summary}
	sr.FullDescription = sarifText{Text: what}
	sr.Help = sarifText{Text: what + "\n\n" + strings.TrimSpace(rule.Docs.Fix), Markdown: lint.RuleMarkdown(rule)}
	if sr.HelpURI == "" {
		sr.HelpURI = rule.URL()
	}
	return sr
}

// sarifLevel maps a severity to a SARIF level: error and warning as they
// are, info and style as note.
func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.SeverityError:
		return "error"
	case lint.SeverityWarning:
		return "warning"
	}
	return "note"
}

// sarifArtifactLocation turns a reported path into a URI: relative paths
// stay relative to %SRCROOT%, absolute ones become file URIs.
func sarifArtifactLocation(path string) sarifArtifactLoc {
	p := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: p}).String()}
	}
	return sarifArtifactLoc{URI: (&url.URL{Path: p}).String(), URIBaseID: srcRoot}
}

func sarifRangeRegion(rg lint.Range) *sarifRegion {
	if rg.Start.Line < 1 {
		return nil
	}
	r := sarifRegion{StartLine: rg.Start.Line, StartColumn: max(rg.Start.Column, 1), EndLine: rg.End.Line, EndColumn: rg.End.Column}
	if r.EndLine < r.StartLine {
		r.EndLine = r.StartLine
	}
	if r.EndLine == r.StartLine && r.EndColumn < r.StartColumn {
		r.EndColumn = r.StartColumn
	}
	if r.EndColumn < 1 {
		r.EndColumn = 1
	}
	return &r
}

// sarifFixOf converts a fix; ok is false when there is nothing to apply.
// withSnippet adds the flagged text to a region, for viewers that do not
// have the file.
func withSnippet(region *sarifRegion, src *lint.Source, rg lint.Range) *sarifRegion {
	if region == nil || src == nil || rg.Start.Offset < 0 || rg.End.Offset > len(src.Data) || rg.End.Offset <= rg.Start.Offset {
		return region
	}
	region.Snippet = &sarifText{Text: string(src.Data[rg.Start.Offset:rg.End.Offset])}
	return region
}

func sarifFixOf(f *lint.Fix, loc sarifArtifactLoc) (fix sarifFix, ok bool) {
	if f == nil || len(f.Edits) == 0 {
		return fix, false
	}
	title := f.Title
	if f.Kind != "" && f.Kind != lint.FixSafe {
		title += " (" + string(f.Kind) + ")"
	}
	ch := sarifArtifactChange{ArtifactLocation: loc}
	for _, e := range f.Edits {
		region := sarifRangeRegion(e.Range)
		if region == nil {
			return fix, false
		}
		ch.Replacements = append(ch.Replacements, sarifReplacement{
			DeletedRegion:   *region,
			InsertedContent: sarifText{Text: e.NewText},
		})
	}
	return sarifFix{Description: sarifText{Text: title}, ArtifactChanges: []sarifArtifactChange{ch}}, true
}

// messageWithHelp is the message, and the help on a second line.
func messageWithHelp(d lint.Diagnostic) string {
	if d.Help == "" {
		return d.Message
	}
	return d.Message + "\nhelp: " + d.Help
}

// sarifToolVersion drops Go's "v" prefix, since SARIF viewers compare
// versions that start with a number; a development build is 0.0.0-devel.
func sarifToolVersion(v string) string {
	v = strings.TrimPrefix(v, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		return "0.0.0-devel"
	}
	return v
}

// pascalCase turns a kebab-case rule name into SARIF's preferred friendly
// name form: untagged-base-image -> UntaggedBaseImage.
func pascalCase(s string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || r == ' ' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
