package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func pos(r Range) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

func TestPositionsAcrossContinuationsCRLFAndBOM(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		arg        int    // index of the argument to locate
		want       string // its range
	}{
		{"plain", "FROM alpine:3.20\nRUN apk add curl\n", 2, "2:13-2:17"},
		{"continuation", "FROM alpine:3.20\nRUN apk \\\n    add \\\n    curl\n", 2, "4:5-4:9"},
		{"comment inside continuation", "FROM alpine:3.20\nRUN apk \\\n# note\n    add curl\n", 2, "4:9-4:13"},
		{"crlf", "FROM alpine:3.20\r\nRUN apk \\\r\n  add curl\r\n", 2, "3:7-3:11"},
		{"bom", "\ufeffRUN apk add curl\n", 2, "1:13-1:17"},
		{"backtick escape", "# escape=`\nFROM alpine:3.20\nRUN apk `\n  add curl\n", 2, "4:7-4:11"},
		{"indented", "FROM alpine:3.20\n   RUN apk add curl\n", 2, "2:16-2:20"},
		{"unicode", "FROM alpine:3.20\nRUN echo ünïcode curl\n", 2, "2:18-2:22"},
		{"empty continuation line", "FROM alpine:3.20\nRUN apk \\\n\n    add curl\n", 2, "4:9-4:13"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := Parse(NewSource("Dockerfile", []byte(tc.text)))
			if len(f.ParseErrors) > 0 {
				t.Fatalf("parse errors: %+v", f.ParseErrors)
			}
			ins := f.Instructions[len(f.Instructions)-1]
			if ins.Text != ins.Node.Original {
				t.Errorf("logical text %q differs from BuildKit's %q", ins.Text, ins.Node.Original)
			}
			if got := pos(ins.Args[tc.arg].Range); got != tc.want {
				t.Errorf("argument %d (%q) at %s, want %s", tc.arg, ins.Args[tc.arg].Value, got, tc.want)
			}
		})
	}
}

func TestScriptWordPositions(t *testing.T) {
	text := "FROM debian:12\nRUN apt-get update \\\n && apt-get install -y \\\n      curl \\\n && rm -rf /var/lib/apt/lists/*\n"
	f := Parse(NewSource("Dockerfile", []byte(text)))
	s := f.Instructions[1].Script()
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	if len(s.Commands) != 3 {
		t.Fatalf("got %d commands, want 3", len(s.Commands))
	}
	install := s.Commands[1]
	if !install.Is("apt-get") || !install.HasArg("install") || !install.HasFlag("y") {
		t.Errorf("install command not recognised: %+v", install.Name)
	}
	if got := pos(install.Args[2].Range()); got != "4:7-4:11" {
		t.Errorf("curl at %s, want 4:7-4:11", got)
	}
	if got := pos(install.Range()); got != "3:5-4:11" {
		t.Errorf("install command at %s, want 3:5-4:11", got)
	}
}

func TestHeredocScripts(t *testing.T) {
	text := "FROM alpine:3.20\nRUN <<EOF\napk add curl\nrm -rf /tmp/x\nEOF\nRUN python3 <<PY\nprint('apk add')\nPY\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n"
	f := Parse(NewSource("Dockerfile", []byte(text)))
	if len(f.Instructions) != 4 {
		t.Fatalf("got %d instructions", len(f.Instructions))
	}
	s := f.Instructions[1].Script()
	if s.Err != nil || !s.Heredoc || len(s.Commands) != 2 {
		t.Fatalf("heredoc script: err=%v heredoc=%v commands=%d", s.Err, s.Heredoc, len(s.Commands))
	}
	if got := pos(s.Commands[0].Args[1].Range()); got != "3:9-3:13" {
		t.Errorf("curl at %s, want 3:9-3:13", got)
	}
	py := f.Instructions[2].Script()
	if py.Err != nil || len(py.Commands) != 1 || !py.Commands[0].Is("python3") {
		t.Errorf("heredoc fed to python3 should be one command, got %d (err %v)", len(py.Commands), py.Err)
	}
	if sb := f.Instructions[3].Script(); sb.Err == nil {
		t.Errorf("a python shebang heredoc is not shell: want an error, got %d commands", len(sb.Commands))
	}
	if h := f.Instructions[1].Heredocs[0]; h.FirstLine != 3 || h.LastLine != 5 {
		t.Errorf("heredoc lines %d-%d, want 3-5", h.FirstLine, h.LastLine)
	}
}

func TestBrokenInstructionsDoNotHideTheRest(t *testing.T) {
	text := "FROM alpine:3.20\nRUNN echo\nCOPY --bogus=1 a b\nRUN <<EOF\nno end\n"
	f := Parse(NewSource("Dockerfile", []byte(text)))
	var errs []int
	for _, e := range f.ParseErrors {
		errs = append(errs, e.Range.Start.Line)
	}
	for _, ins := range f.Instructions {
		if ins.Err != nil {
			errs = append(errs, ins.StartLine)
		}
	}
	if fmt.Sprint(errs) != "[4 2 3]" {
		t.Errorf("errors on lines %v, want the heredoc (4), RUNN (2) and COPY (3)", errs)
	}
	if len(f.Stages) != 1 || f.Stages[0].Base != "alpine:3.20" {
		t.Errorf("the FROM must still be modelled: %+v", f.Stages)
	}
}

func TestDirectivesAndOnbuild(t *testing.T) {
	text := "# syntax=docker/dockerfile:1\n# check=skip=DL3006\nFROM alpine:3.20 AS base\nONBUILD RUN apk add curl\n"
	f := Parse(NewSource("Dockerfile", []byte(text)))
	if v, ok := f.Directive("check"); !ok || v != "skip=DL3006" {
		t.Errorf("check directive = %q, %v", v, ok)
	}
	ob := f.Instructions[1].OnBuild
	if ob == nil || ob.Kind != "run" || ob.Script() == nil || len(ob.Script().Commands) != 1 {
		t.Fatalf("ONBUILD RUN not modelled")
	}
	if got := pos(ob.Script().Commands[0].Args[1].Range()); got != "4:21-4:25" {
		t.Errorf("curl inside ONBUILD at %s, want 4:21-4:25", got)
	}
	if f.Stages[0].Name != "base" {
		t.Errorf("stage name %q", f.Stages[0].Name)
	}
}

// TestCorpusLogicalText rebuilds every instruction of the shared corpus and
// compares it with BuildKit's own joined line.
func TestCorpusLogicalText(t *testing.T) {
	files, _ := filepath.Glob("../../shared/corpus/files/*")
	if len(files) == 0 {
		t.Skip("../shared/corpus is absent")
	}
	if testing.Short() {
		files = files[:len(files)/10]
	}
	bad := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := Parse(NewSource(p, data))
		for _, ins := range f.Instructions {
			if ins.Text != ins.Node.Original {
				bad++
				if bad <= 5 {
					t.Errorf("%s:%d: logical text differs:\n got %q\nwant %q", p, ins.StartLine, ins.Text, ins.Node.Original)
				}
			}
			for _, a := range ins.Args {
				if a.Range.Start.Line < ins.StartLine || a.Range.End.Line > ins.EndLine {
					t.Errorf("%s:%d: argument %q placed outside its instruction (%s)", p, ins.StartLine, a.Value, pos(a.Range))
				}
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d instructions differ", bad)
	}
}

func TestSourceLines(t *testing.T) {
	s := NewSource("x", []byte("a\r\nbc\n\nd"))
	if s.LineCount() != 4 || s.Line(1) != "a" || s.Line(2) != "bc" || s.Line(3) != "" || s.Line(4) != "d" {
		t.Errorf("lines: %d %q %q %q %q", s.LineCount(), s.Line(1), s.Line(2), s.Line(3), s.Line(4))
	}
	if p := s.Pos(3); p.Line != 2 || p.Column != 1 {
		t.Errorf("offset 3 at %d:%d", p.Line, p.Column)
	}
	if got := strings.Count(string(s.Data), "\n"); got != 3 {
		t.Fatal(got)
	}
}

func TestStandaloneAssignments(t *testing.T) {
	f := Parse(NewSource("Dockerfile", []byte("FROM alpine:3.20\nRUN PKGS=\"curl git\" && apk add $PKGS\n")))
	s := f.Instructions[1].Script()
	if len(s.Assigns) != 1 || s.Assigns[0].Name != "PKGS" || s.Assigns[0].Value.Value != "curl git" {
		t.Fatalf("assignments: %+v", s.Assigns)
	}
	if len(s.Commands) != 1 || !s.Commands[0].Is("apk") {
		t.Fatalf("commands: %d", len(s.Commands))
	}
}

func TestCheckCommentAboveInstruction(t *testing.T) {
	f := Parse(NewSource("Dockerfile", []byte("FROM alpine:3.20\n# check=skip=X\nENV A b\n")))
	if ins := f.Instructions[1]; ins.Err != nil || ins.Command == nil {
		t.Fatalf("ENV under a check comment: err %v, command %v", ins.Err, ins.Command)
	}
}

// TestParseErrorsReportedOnce: a file with no instructions is one error (it
// used to be repeated by every recovery attempt), and a line too long for
// BuildKit's scanner is one error that hides nothing else.
func TestParseErrorsReportedOnce(t *testing.T) {
	long := strings.Repeat("a", 70000)
	for _, tc := range []struct {
		name, text string
		errs       []string // "line:prefix of the message" of each parse error
		kinds      string   // the instructions that are still modelled
	}{
		{"empty", "", []string{"1:file with no instructions"}, "[]"},
		{"comment only", "# only a comment\n", []string{"1:file with no instructions"}, "[]"},
		{"whitespace only", "  \n\t\n\n", []string{"1:file with no instructions"}, "[]"},
		{"syntax directive only", "# syntax=docker/dockerfile:1\n", []string{"1:file with no instructions"}, "[]"},
		{"crlf comments", "# a\r\n# b\r\n", []string{"1:file with no instructions"}, "[]"},
		{"only a too long line", long + "\n", []string{"1:line 1 is longer"}, "[]"},
		{"only an unterminated heredoc", "RUN <<EOF\nno end\n", []string{"1:unterminated heredoc"}, "[]"},
		{"too long line last", "FROM ubuntu\nRUN apt-get install curl\nUSER root\nRUN echo " + long + "\n",
			[]string{"4:line 4 is longer"}, "[from run user]"},
		{"too long line first", "RUN echo " + long + "\nFROM ubuntu\nUSER root\n",
			[]string{"1:line 1 is longer"}, "[from user]"},
		{"too long lines, crlf", "FROM ubuntu\r\n" + long + "\r\nUSER root\r\n" + long + "\r\nRUN true\r\n",
			[]string{"2:line 2 is longer", "4:line 4 is longer"}, "[from user run]"},
		{"too long line and a broken heredoc", "FROM ubuntu\n" + long + "\nUSER root\nRUN <<EOF\nno end\n",
			[]string{"2:line 2 is longer", "4:unterminated heredoc"}, "[from user]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := Parse(NewSource("Dockerfile", []byte(tc.text)))
			var errs, kinds []string
			for _, e := range f.ParseErrors {
				errs = append(errs, fmt.Sprintf("%d:%s", e.Range.Start.Line, e.Message))
			}
			for _, ins := range f.Instructions {
				kinds = append(kinds, ins.Kind)
			}
			ok := len(errs) == len(tc.errs)
			for i := 0; ok && i < len(errs); i++ {
				ok = strings.HasPrefix(errs[i], tc.errs[i])
			}
			if !ok {
				t.Errorf("parse errors %q, want %q", errs, tc.errs)
			}
			if fmt.Sprint(kinds) != tc.kinds {
				t.Errorf("instructions %v, want %s", kinds, tc.kinds)
			}
		})
	}
}

// TestTooLongLineBoundary: a line is reported as too long exactly when
// BuildKit's own parser rejects it, and never makes the parse fail.
func TestTooLongLineBoundary(t *testing.T) {
	for _, n := range []int{maxLine - 1, maxLine, maxLine + 1} {
		line := "RUN echo " + strings.Repeat("a", n-len("RUN echo "))
		for _, text := range []string{
			"FROM alpine:3.20\n" + line + "\nUSER nobody\n",
			"FROM alpine:3.20\r\n" + line + "\r\nUSER nobody\r\n",
			"\ufeffRUN echo " + strings.Repeat("a", n-len("\ufeffRUN echo ")) + "\nUSER nobody\n",
			"USER nobody\n" + line, // last line, no newline
		} {
			_, bkErr := parser.Parse(strings.NewReader(text))
			f := Parse(NewSource("Dockerfile", []byte(text)))
			name := fmt.Sprintf("%d bytes, %q", n, text[len(text)-13:])
			if (bkErr != nil) != (len(f.ParseErrors) > 0) || len(f.ParseErrors) > 1 {
				t.Errorf("%s: BuildKit error %v, strata errors %+v", name, bkErr, f.ParseErrors)
			}
			if len(f.Instructions) == 0 || f.Instructions[0].Kind != "user" && f.Instructions[len(f.Instructions)-1].Kind != "user" {
				t.Errorf("%s: USER not modelled; errors %+v", name, f.ParseErrors)
			}
		}
	}
}

// TestHeredocBodyIsScriptOrData: BuildKit runs a RUN heredoc body as the
// script only when the command is the heredoc alone; otherwise the body is
// the stdin of the command, which is a script only for a shell reading its
// script from stdin.
func TestHeredocBodyIsScriptOrData(t *testing.T) {
	for _, tc := range []struct {
		header string
		script bool   // the body is the script
		shell  string // the shell it is fed to
	}{
		{"<<EOF", true, ""},
		{"<<-EOF", true, ""},
		{"<<'EOF'", true, ""},
		{"<< EOF", true, ""},
		{"--mount=type=cache,target=/var/cache <<EOF", true, ""},
		{"<<EOF bash", true, "bash"},
		{"<<EOF sh", true, "sh"},
		{"<<EOF bash -e", true, "bash"},
		{"<<EOF bash -euo pipefail", true, "bash"},
		{"<<EOF /bin/sh -s -- a b", true, "/bin/sh"},
		{"<<EOF bash > /tmp/log 2>&1", true, "bash"},
		{"bash <<EOF", true, "bash"},
		{"<<EOF cat > /etc/app.ini", false, ""},
		{"<<EOF cat >/usr/local/bin/setup.sh", false, ""},
		{"<<EOF python3", false, ""},
		{"<<EOF tee /etc/x", false, ""},
		{"python3 <<EOF", false, ""},
		{"<<EOF bash -c 'echo hi'", false, ""},
		{"<<EOF bash script.sh", false, ""},
		{"<<EOF bash < other", false, ""},
		{"<<EOF bash && true", false, ""},
	} {
		text := "FROM alpine:3.20\nRUN " + tc.header + "\napk add curl\nEOF\n"
		f := Parse(NewSource("Dockerfile", []byte(text)))
		if len(f.ParseErrors) > 0 || len(f.Instructions) != 2 {
			t.Fatalf("%s: %+v", tc.header, f.ParseErrors)
		}
		s := f.Instructions[1].Script()
		if s.Err != nil {
			t.Errorf("%s: %v", tc.header, s.Err)
			continue
		}
		if s.Heredoc != tc.script || s.Shell != tc.shell {
			t.Errorf("%s: body is the script %v (shell %q), want %v (%q)", tc.header, s.Heredoc, s.Shell, tc.script, tc.shell)
		}
		apk := false
		for _, c := range s.Commands {
			if c.Is("apk") {
				apk = true
				if got := pos(c.Range()); got != "3:1-3:13" {
					t.Errorf("%s: apk at %s, want 3:1-3:13", tc.header, got)
				}
			}
		}
		if apk != tc.script {
			t.Errorf("%s: apk add curl read as a command: %v, want %v", tc.header, apk, tc.script)
		}
	}
}
