package lint

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
)

// ShellCheckRule stands for every ShellCheck check: its diagnostics carry
// ShellCheck's own codes (SC2086, ...), which select, ignore, override and
// suppress individually.
var ShellCheckRule = &Rule{
	Code:     "SC",
	Name:     "shellcheck",
	Summary:  "ShellCheck's findings in the shell of RUN instructions",
	Severity: SeverityWarning,
	Origin:   OriginShellCheck,
	Status:   StatusStable,
	Since:    "0.1.0",
	Docs: Docs{
		What: "Runs [ShellCheck](https://www.shellcheck.net) on the shell of every RUN (shell form and heredocs; " +
			"exec form is not shell) when a `shellcheck` binary is on PATH, as hadolint does, and reports each " +
			"finding under ShellCheck's code (`SC2086`, ...) at its exact place in the Dockerfile. The script is " +
			"checked with the stage's `SHELL` (or a `# hadolint shell=NAME` comment); stages whose shell is not " +
			"POSIX (pwsh, cmd) are skipped. Every ARG and ENV name seen so far in the stage, and the proxy " +
			"variables, are declared so that they are not reported as unassigned. SC1090, SC1091 and SC2187 are " +
			"not reported. `--no-shellcheck` or `shellcheck: false` turns it off; without the binary strata says " +
			"so once on stderr and carries on.",
		Why: "Shell mistakes in a RUN fail builds late or, worse, succeed wrongly: an unquoted variable splits, a " +
			"failed `cd` is ignored and the next command runs in the wrong directory, a pipe hides a failure.",
		Fix: "Follow the linked ShellCheck page for each code. Select, ignore, override and suppress codes one by " +
			"one (`--ignore SC2086`, `# hadolint ignore=SC2086`); `SC` as a prefix covers them all.",
		Differences: "hadolint reports every ShellCheck finding on the RUN's first line; strata points at the " +
			"exact word.",
	},
	Examples: []Example{
		{Title: "An unquoted variable and an unchecked cd", Dockerfile: "FROM debian:12\nRUN dir=\"my app\" \\\n && mkdir -p $dir && cd $dir\n", Want: []string{"3:14", "3:22", "3:25"}},
		{Title: "Quoted, and cd checked", Dockerfile: "FROM debian:12\nRUN dir=\"my app\" \\\n && mkdir -p \"$dir\" && cd \"$dir\" || exit 1\n"},
	},
}

// ShellCheck runs the shellcheck binary in batches.
type ShellCheck struct {
	Path string
	// Workers is how many shellcheck processes run at once.
	Workers int
	// Batch is the most scripts handed to one process.
	Batch int
}

// FindShellCheck looks for shellcheck on PATH.
func FindShellCheck() (*ShellCheck, error) {
	p, err := exec.LookPath("shellcheck")
	if err != nil {
		return nil, err
	}
	return &ShellCheck{Path: p}, nil
}

// excludedShellCheckCodes are what hadolint leaves out: sourced files are
// not followed, and ash is checked as dash.
const excludedShellCheckCodes = "SC1090,SC1091,SC2187"

// proxyVars are always defined in a build.
var proxyVars = []string{"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy"}

// shellJob is one RUN script handed to ShellCheck.
type shellJob struct {
	res         *Result
	ins         *Instruction
	script      *Script
	header      string
	headerLines int
}

type shellState struct {
	shell []string
	vars  []string
}

func (s shellState) clone() shellState {
	return shellState{shell: s.shell, vars: append([]string(nil), s.vars...)}
}

// collectShellJobs prepares every checkable RUN script of a file, tracking
// SHELL, ARG and ENV through the stages as hadolint does.
func collectShellJobs(res *Result) []*shellJob {
	f := res.File
	def := shellState{shell: []string{"/bin/sh", "-c"}}
	pragmas := f.Pragmas()
	firstFrom := 1 << 30
	if len(f.Stages) > 0 {
		firstFrom = f.Stages[0].From.StartLine
	}
	for _, p := range pragmas {
		if p.Kind == PragmaShell && p.Comment.Line < firstFrom {
			def.shell = []string{p.Shell}
		}
	}
	cur := def.clone()
	ended := map[*Stage]shellState{}
	var jobs []*shellJob
	pi := 0
	for _, ins := range f.Instructions {
		for ; pi < len(pragmas) && pragmas[pi].Comment.Line < ins.StartLine; pi++ {
			if pragmas[pi].Kind == PragmaShell && pragmas[pi].Comment.Line > firstFrom {
				cur.shell = []string{pragmas[pi].Shell}
			}
		}
		switch c := ins.Command.(type) {
		case *instructions.Stage:
			if ins.Stage != nil && ins.Stage.Index > 0 {
				ended[f.Stages[ins.Stage.Index-1]] = cur.clone()
			}
			cur = def.clone()
			if ins.Stage != nil && ins.Stage.Parent != nil {
				if st, ok := ended[ins.Stage.Parent]; ok {
					cur = st.clone()
				}
			}
		case *instructions.ArgCommand:
			for _, a := range c.Args {
				cur.vars = append(cur.vars, a.Key)
			}
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				cur.vars = append(cur.vars, kv.Key)
			}
		case *instructions.ShellCommand:
			if len(c.Shell) > 0 {
				cur.shell = c.Shell
			}
		}
		run := ins
		if ins.OnBuild != nil {
			run = ins.OnBuild
		}
		if run.Kind != "run" || run.JSON {
			continue
		}
		if job := newShellJob(res, run, cur); job != nil {
			jobs = append(jobs, job)
		}
	}
	return jobs
}

func newShellJob(res *Result, ins *Instruction, st shellState) *shellJob {
	s := ins.Script()
	if s == nil || s.Exec || errors.Is(s.Err, errNotShell) || strings.TrimSpace(s.Text) == "" {
		return nil
	}
	shell := st.shell
	if s.Shell != "" { // RUN <<EOF bash: the body is bash whatever SHELL says
		sh := s.Shell
		if !strings.Contains(sh, "/") {
			sh = "/bin/" + sh
		}
		shell = []string{sh}
	}
	if len(shell) == 0 {
		return nil
	}
	name := strings.ToLower(path.Base(strings.ReplaceAll(shell[0], `\`, "/")))
	switch strings.TrimSuffix(name, ".exe") {
	case "sh", "bash", "dash", "ksh", "ash":
	default:
		return nil // pwsh, cmd, zsh, fish...: not ShellCheck's languages
	}
	var b strings.Builder
	b.WriteString("#!" + shell[0] + "\n")
	vars := append(append([]string(nil), proxyVars...), st.vars...)
	seen := map[string]bool{}
	lines := 1
	for _, v := range vars {
		if seen[v] || !validShellName(v) {
			continue
		}
		seen[v] = true
		b.WriteString("export " + v + "=1\n")
		lines++
	}
	return &shellJob{res: res, ins: ins, script: s, header: b.String(), headerLines: lines}
}

func validShellName(v string) bool {
	if v == "" {
		return false
	}
	for i, r := range v {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// shellCheckComment is one finding in ShellCheck's json1 output. Columns
// count characters, a tab as one.
type shellCheckComment struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	EndLine   int    `json:"endLine"`
	Column    int    `json:"column"`
	EndColumn int    `json:"endColumn"`
	Level     string `json:"level"`
	Code      int    `json:"code"`
	Message   string `json:"message"`
	Fix       *struct {
		Replacements []struct {
			Line        int    `json:"line"`
			EndLine     int    `json:"endLine"`
			Column      int    `json:"column"`
			EndColumn   int    `json:"endColumn"`
			Replacement string `json:"replacement"`
		} `json:"replacements"`
	} `json:"fix"`
}

// RunShellCheck checks the RUN scripts of all results in a few shellcheck
// processes and adds the findings to each result. Call it between Check
// and Finish. Scripts are written to a temporary directory that is removed
// afterwards.
func RunShellCheck(ctx context.Context, sc *ShellCheck, results []*Result) error {
	var jobs []*shellJob
	for _, r := range results {
		if r != nil {
			jobs = append(jobs, r.shellJobs...)
			r.shellJobs = nil
		}
	}
	if sc == nil || len(jobs) == 0 {
		return nil
	}
	failAll := func() {
		for _, j := range jobs {
			j.res.shellCheckFailed = true
		}
	}
	dir, err := os.MkdirTemp("", "strata-shellcheck-")
	if err != nil {
		failAll()
		return fmt.Errorf("shellcheck: %w", err)
	}
	defer os.RemoveAll(dir)
	// Identical scripts (common in real Dockerfiles) are checked once.
	byName := make(map[string][]*shellJob, len(jobs))
	byText := make(map[string]string, len(jobs))
	var names []string
	for _, j := range jobs {
		text := j.header + j.script.Text + "\n"
		name, seen := byText[text]
		if !seen {
			name = "s" + strconv.Itoa(len(names)) + ".sh"
			byText[text] = name
			names = append(names, name)
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
				failAll()
				return fmt.Errorf("shellcheck: %w", err)
			}
		}
		byName[name] = append(byName[name], j)
	}
	workers, batch := sc.Workers, sc.Batch
	if workers < 1 {
		workers = 1
	}
	if batch < 1 {
		batch = 400
	}
	if per := (len(names) + workers - 1) / workers; per < batch {
		batch = per
	}
	var chunks [][]string
	for i := 0; i < len(names); i += batch {
		chunks = append(chunks, names[i:min(i+batch, len(names))])
	}
	var mu sync.Mutex
	var firstErr error
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, chunk := range chunks {
		wg.Add(1)
		sem <- struct{}{}
		go func(chunk []string) {
			defer wg.Done()
			defer func() { <-sem }()
			comments, err := sc.run(ctx, dir, chunk)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				// The scripts of this batch were not checked: their
				// files' SC suppressions cannot be called unused.
				for _, name := range chunk {
					for _, j := range byName[name] {
						j.res.shellCheckFailed = true
					}
				}
			}
			for _, c := range comments {
				for _, j := range byName[c.File] {
					j.res.pending = append(j.res.pending, j.diagnostic(c))
				}
			}
		}(chunk)
	}
	wg.Wait()
	return firstErr
}

func (sc *ShellCheck) run(ctx context.Context, dir string, files []string) ([]shellCheckComment, error) {
	args := append([]string{"--norc", "-f", "json1", "-S", "style", "-e", excludedShellCheckCodes}, files...)
	cmd := exec.CommandContext(ctx, sc.Path, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var out struct {
		Comments []shellCheckComment `json:"comments"`
	}
	if jerr := json.Unmarshal(stdout.Bytes(), &out); jerr != nil {
		if err == nil {
			err = jerr
		}
		return nil, fmt.Errorf("shellcheck: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	return out.Comments, nil
}

var shellCheckLevels = map[string]Severity{"error": SeverityError, "warning": SeverityWarning, "info": SeverityInfo, "style": SeverityStyle}

// offset maps a ShellCheck line and column back to a script offset.
func (j *shellJob) offset(line, col int) int {
	line -= j.headerLines
	text := j.script.Text
	if line < 1 {
		return 0
	}
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	for c := 1; c < col && off < len(text) && text[off] != '\n'; c++ {
		_, w := utf8.DecodeRuneInString(text[off:])
		off += w
	}
	return off
}

func (j *shellJob) diagnostic(c shellCheckComment) Diagnostic {
	code := "SC" + strconv.Itoa(c.Code)
	sev, ok := shellCheckLevels[c.Level]
	if !ok {
		sev = SeverityWarning
	}
	d := Diagnostic{
		Code: code, Name: "shellcheck", Severity: sev, Message: c.Message,
		URL: "https://www.shellcheck.net/wiki/" + code, rule: ShellCheckRule,
		anchor: j.ins.StartLine,
	}
	if j.ins.Outer != nil {
		d.anchor = j.ins.Outer.StartLine
	}
	if c.Line <= j.headerLines {
		d.Range = j.ins.KeywordRange()
	} else {
		d.Range = j.script.Range(j.offset(c.Line, c.Column), j.offset(c.EndLine, c.EndColumn))
	}
	if c.Fix != nil && len(c.Fix.Replacements) > 0 {
		fix := &Fix{Title: "apply ShellCheck's suggested fix", Kind: FixUnsafe}
		for _, r := range c.Fix.Replacements {
			if r.Line <= j.headerLines {
				fix = nil
				break
			}
			fix.Edits = append(fix.Edits, Edit{
				Range:   j.script.Range(j.offset(r.Line, r.Column), j.offset(r.EndLine, r.EndColumn)),
				NewText: r.Replacement,
			})
		}
		if fix != nil {
			sort.SliceStable(fix.Edits, func(a, b int) bool { return fix.Edits[a].Range.Start.Offset < fix.Edits[b].Range.Start.Offset })
			d.Fix = fix
		}
	}
	return d
}
