package report

import (
	"encoding/json"
	"io"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/strata-dev/strata/lint"
)

// SonarQube's generic external issue format (SonarQube 10.3 and later,
// SonarQube Cloud): the rules that reported, with their Clean Code
// attribute and impact, and the issues pointing at them. Import it with
// sonar.externalIssuesReportPaths.

type sonarReport struct {
	Rules  []sonarRule  `json:"rules"`
	Issues []sonarIssue `json:"issues"`
}

type sonarRule struct {
	ID                 string        `json:"id"`
	Name               string        `json:"name"`
	Description        string        `json:"description"`
	EngineID           string        `json:"engineId"`
	CleanCodeAttribute string        `json:"cleanCodeAttribute"`
	Type               string        `json:"type"`
	Severity           string        `json:"severity"`
	Impacts            []sonarImpact `json:"impacts"`
}

type sonarImpact struct {
	SoftwareQuality string `json:"softwareQuality"`
	Severity        string `json:"severity"`
}

type sonarIssue struct {
	RuleID          string        `json:"ruleId"`
	PrimaryLocation sonarLocation `json:"primaryLocation"`
}

type sonarLocation struct {
	Message   string          `json:"message"`
	FilePath  string          `json:"filePath"`
	TextRange *sonarTextRange `json:"textRange,omitempty"`
}

// sonarTextRange has 1-based lines and 0-based columns.
type sonarTextRange struct {
	StartLine   int  `json:"startLine"`
	EndLine     int  `json:"endLine"`
	StartColumn *int `json:"startColumn,omitempty"`
	EndColumn   *int `json:"endColumn,omitempty"`
}

// SonarQube writes the generic external issue report.
func SonarQube(w io.Writer, results []FileResult, _ Summary, _ Options) error {
	out := sonarReport{Rules: []sonarRule{}, Issues: []sonarIssue{}}
	rules := map[string]sonarRule{}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if _, ok := rules[d.Code]; !ok {
				rules[d.Code] = sonarRuleOf(d)
			}
			out.Issues = append(out.Issues, sonarIssue{RuleID: d.Code, PrimaryLocation: sonarLocation{
				Message: d.Message, FilePath: d.File, TextRange: sonarRange(r.Source, d.Range),
			}})
		}
	}
	for _, r := range rules {
		out.Rules = append(out.Rules, r)
	}
	sort.Slice(out.Rules, func(i, j int) bool { return out.Rules[i].ID < out.Rules[j].ID })
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func sonarRuleOf(d lint.Diagnostic) sonarRule {
	sr := sonarRule{
		ID: d.Code, Name: d.Code, Description: d.Code, EngineID: "strata",
		CleanCodeAttribute: "CONVENTIONAL", Type: "CODE_SMELL", Severity: "INFO",
		Impacts: []sonarImpact{{SoftwareQuality: "MAINTAINABILITY", Severity: "LOW"}},
	}
	if rule := d.Rule(); rule != nil {
		sr.Name = rule.Summary
		desc := []string{rule.Summary, strings.TrimSpace(rule.Docs.What)}
		if rule.Code != d.Code {
			sr.Name = d.Code + ": " + rule.Summary
			desc = desc[:1]
		}
		if d.URL != "" {
			desc = append(desc, d.URL)
		}
		sr.Description = strings.Join(desc, "\n\n")
	}
	switch d.Severity {
	case lint.SeverityError:
		sr.CleanCodeAttribute, sr.Type, sr.Severity = "LOGICAL", "BUG", "CRITICAL"
		sr.Impacts = []sonarImpact{{SoftwareQuality: "RELIABILITY", Severity: "HIGH"}}
	case lint.SeverityWarning:
		sr.Severity = "MAJOR"
		sr.Impacts[0].Severity = "MEDIUM"
	case lint.SeverityInfo:
		sr.Severity = "MINOR"
	}
	return sr
}

// sonarRange converts to SonarQube's 0-based columns; an empty span is
// given by its lines alone, since SonarQube rejects a range whose start is
// not before its end.
func sonarRange(src *lint.Source, rg lint.Range) *sonarTextRange {
	if rg.Start.Line < 1 {
		return nil
	}
	tr := &sonarTextRange{StartLine: rg.Start.Line, EndLine: max(rg.End.Line, rg.Start.Line)}
	if rg.End.Line > rg.Start.Line || rg.End.Column > rg.Start.Column {
		start, end := sonarColumn(src, rg.Start), sonarColumn(src, rg.End)
		tr.StartColumn, tr.EndColumn = &start, &end
	}
	return tr
}

// sonarColumn is a position's 0-based column as SonarQube counts it, in
// UTF-16 code units (Java's characters): an emoji counts two. Without the
// source, the code-point column is the best there is.
func sonarColumn(src *lint.Source, p lint.Pos) int {
	if src == nil || p.Line < 1 || p.Offset < src.LineStart(p.Line) || p.Offset > len(src.Data) {
		return max(p.Column-1, 0)
	}
	n := 0
	for _, r := range string(src.Data[src.LineStart(p.Line):p.Offset]) {
		n += utf16.RuneLen(r) // invalid UTF-8 reads as U+FFFD, one unit
	}
	return n
}
