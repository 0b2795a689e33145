package rules

import (
	_ "crypto/sha256" // digests in image references (go-digest needs the hash linked in)
	_ "crypto/sha512"
	"fmt"
	"github.com/strata-dev/strata/internal/lazyre"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/containerd/platforms"
	"github.com/distribution/reference"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/buildkit/util/system"
	"github.com/moby/sys/signal"

	"github.com/strata-dev/strata/lint"
)

// bkSim is BuildKit's lint pass over one file: dockerfile2llb's
// toDispatchState with every stage dispatched (as `docker build --check`
// does), base images resolved to an empty linux/amd64 configuration and no
// build arguments. Where BuildKit's pass stops at an error, so does this
// one: BuildKit reports the checks that ran before it and nothing after.
type bkSim struct {
	f      *lint.File
	ignore *lint.Ignore
	lex    *shell.Lex
	out    []bkFinding

	cmds       []any // BuildKit's typed instruction for each instruction
	metaArgs   []*instructions.ArgCommand
	globalArgs *bkEnv              // predefined and global ARGs that have a value
	declared   map[string]struct{} // every global ARG name, with or without a value
	stages     []*bkStage          // one per FROM
	states     []*bkStage          // the stages, then images named by COPY --from and RUN --mount
	byName     map[string]*bkStage
	varUses    map[bkVarUse]int // references already located, so the next finding points at the next one
}

type bkVarUse struct {
	ins  int
	name string
}

// bkStage is one of BuildKit's dispatch states: a stage, or an image that
// COPY --from or RUN --mount=from names.
type bkStage struct {
	ins          int // the FROM, -1 for an image
	st           *instructions.Stage
	name         string
	base         string // base name with the global ARGs expanded
	parent       *bkStage
	os           string
	commands     []int
	triggers     []bkCmd // ONBUILD instructions of the parent stage, run first
	deps         []*bkStage
	unregistered bool
	dispatched   bool

	env                          *bkEnv
	buildArgs                    map[string]struct{} // ARG names declared so far, with or without a value
	workdirSet                   bool
	dir                          string // the working directory
	shellSet                     bool
	cmd, entrypoint, healthcheck bkTracker
}

// bkTracker remembers the last CMD, ENTRYPOINT or HEALTHCHECK of a stage.
type bkTracker struct {
	set bool
	at  bkCmd
}

// bkCmd is an instruction as the pass dispatches it.
type bkCmd struct {
	ins      int               // where BuildKit reports it: the instruction, or for an ONBUILD trigger the FROM of the stage it runs in
	src      *lint.Instruction // the instruction that holds the text (for a trigger, the ONBUILD's inner instruction)
	cmd      instructions.Command
	comments []string
	trigger  bool
}

func simulateBuildKit(f *lint.File, ctx *lint.BuildContext) *bkResult {
	s := &bkSim{f: f, lex: shell.NewLex(f.Escape), byName: map[string]*bkStage{}, varUses: map[bkVarUse]int{}}
	if ctx != nil {
		s.ignore, _ = ctx.IgnoreFor(f.Source.Path)
	}
	s.run()
	return &bkResult{findings: s.out}
}

func (s *bkSim) run() {
	if len(s.f.ParseErrors) > 0 || len(s.f.Instructions) == 0 {
		return // BuildKit's parser fails, so it reports no check at all
	}
	if v, ok := s.f.Directive("check"); ok {
		v, _, _ = strings.Cut(v, " ")
		if _, err := linter.ParseLintOptions(v); err != nil {
			return // BuildKit refuses the whole file
		}
	}
	s.emptyContinuations()
	if !s.parseInstructions() {
		return
	}
	s.checkStageNames()
	s.instructionCasing()
	if !s.buildGlobalArgs() ||
		!s.resolveStages() ||
		!s.dependencies() ||
		!s.resolveImages() {
		return
	}
	s.dispatchStages()
}

// add records a finding. comments is the comment block above the
// instruction the finding is about, whose "# check=skip=" applies to it;
// nil for findings BuildKit makes with the file's configuration only.
//
// BuildKit places every finding on the first line of its instruction (the
// last line for NoEmptyContinuation); a range that starts on another line
// moves to the instruction's keyword, and the message says where the
// offending text is.
func (s *bkSim) add(f bkFinding, comments []string) {
	if comments != nil && commentsSkip(comments, f.rule) {
		return
	}
	if f.ins >= 0 && f.rule != "NoEmptyContinuation" {
		ins := s.f.Instructions[f.ins]
		if f.rng.Start.Line != ins.StartLine {
			f.msg += fmt.Sprintf(" (line %d, column %d)", f.rng.Start.Line, f.rng.Start.Column)
			f.rng = ins.KeywordRange()
			if f.rng.Start.Line != ins.StartLine { // the instruction starts with a lone line continuation
				f.rng = trimmedLine(s.f.Source, ins.StartLine)
			}
		}
	}
	s.out = append(s.out, f)
}

func (s *bkSim) emptyContinuations() {
	for i, ins := range s.f.Instructions {
		if len(ins.EmptyContinuationLines) > 0 {
			s.noEmptyContinuation(i, ins)
		}
	}
}

// parseInstructions is instructions.Parse: the checks BuildKit makes while
// typing each instruction, up to the first that does not parse.
func (s *bkSim) parseInstructions() bool {
	s.cmds = make([]any, len(s.f.Instructions))
	for i, ins := range s.f.Instructions {
		s.cmds[i] = typedCommand(ins)
		switch ins.Kind {
		case "maintainer":
			s.maintainerDeprecated(i, ins)
		case "from":
			args := nodeArgs(ins.Node)
			s.stageNameCasing(i, ins, args)
			s.fromAsCasing(i, ins, args)
			if st, ok := s.cmds[i].(*instructions.Stage); ok && st.Name != "" {
				s.definitionDescription(i, ins, "FROM", []string{st.Name})
			}
		case "arg":
			if a, ok := s.cmds[i].(*instructions.ArgCommand); ok {
				keys := make([]string, len(a.Args))
				for k, kv := range a.Args {
					keys[k] = kv.Key
				}
				s.definitionDescription(i, ins, "ARG", keys)
			}
		}
		switch c := s.cmds[i].(type) {
		case nil:
			return false
		case *instructions.Stage:
			s.stages = append(s.stages, &bkStage{ins: i, st: c, name: c.Name})
		case instructions.Command:
			if len(s.stages) == 0 {
				a, ok := c.(*instructions.ArgCommand)
				if !ok {
					return false // an instruction before the first FROM
				}
				s.metaArgs = append(s.metaArgs, a)
				continue
			}
			st := s.stages[len(s.stages)-1]
			st.commands = append(st.commands, i)
		default:
			return false
		}
	}
	return len(s.stages) > 0
}

// nopLinter lets BuildKit's parser read "# check=" comments above an
// instruction: instructions.ParseInstruction without a linter panics on them.
var nopLinter = linter.New(&linter.Config{})

// typedCommand is BuildKit's typed instruction, nil when BuildKit rejects
// it.
func typedCommand(ins *lint.Instruction) any {
	if ins.Err == nil {
		return ins.Command
	}
	if len(ins.Node.PrevComment) == 0 {
		return nil
	}
	cmd, err := parseWithLinter(ins)
	if err != nil {
		return nil
	}
	return cmd
}

func parseWithLinter(ins *lint.Instruction) (cmd any, err error) {
	defer func() {
		if r := recover(); r != nil {
			cmd, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return instructions.ParseInstructionWithLinter(ins.Node, nopLinter)
}

func (s *bkSim) checkStageNames() {
	first := map[string]*bkStage{}
	for _, st := range s.stages {
		if st.name == "" {
			continue
		}
		if st.name == "context" || st.name == "scratch" {
			s.reservedStageName(st)
		}
		if prev, ok := first[st.name]; ok {
			s.duplicateStageName(st, prev)
			continue
		}
		first[st.name] = st
	}
}

// bkDefaultArgs are the predefined platform ARGs for a linux/amd64 build.
func bkDefaultArgs(target string) *bkEnv {
	if target == "" {
		target = "default"
	}
	e := newBkEnv()
	for _, kv := range [...][2]string{
		{"BUILDPLATFORM", "linux/amd64"}, {"BUILDOS", "linux"}, {"BUILDOSVERSION", ""},
		{"BUILDARCH", "amd64"}, {"BUILDVARIANT", ""},
		{"TARGETPLATFORM", "linux/amd64"}, {"TARGETOS", "linux"}, {"TARGETOSVERSION", ""},
		{"TARGETARCH", "amd64"}, {"TARGETVARIANT", ""}, {"TARGETSTAGE", target},
	} {
		e.set(kv[0], kv[1])
	}
	return e
}

// buildGlobalArgs evaluates the ARGs before the first FROM with their
// defaults, then checks every base image name with them.
func (s *bkSim) buildGlobalArgs() bool {
	env := bkDefaultArgs(s.stages[len(s.stages)-1].name)
	s.declared = map[string]struct{}{}
	for _, a := range s.metaArgs {
		for _, kv := range a.Args {
			if kv.Value != nil {
				res, err := s.lex.ProcessWordWithMatches(*kv.Value, env)
				if err != nil {
					return false
				}
				env.set(kv.Key, res.Result)
			}
			s.declared[kv.Key] = struct{}{}
		}
	}
	s.globalArgs = env
	for _, st := range s.stages {
		res, err := s.processWord(st.st.BaseName, env)
		if err != nil {
			break
		}
		if !validRef(res.Result) {
			s.invalidDefaultArgInFrom(st, res.Result)
		}
	}
	return true
}

// resolveStages expands each FROM with the global ARGs (buildDispatchStates).
func (s *bkSim) resolveStages() bool {
	for _, st := range s.stages {
		comments := st.st.Comments
		res, err := s.processWord(st.st.BaseName, s.globalArgs)
		s.undefinedArgInFrom(st, res.Unmatched, comments)
		if err != nil || res.Result == "" {
			return false
		}
		st.base, st.os = res.Result, "linux"
		if p := st.st.Platform; p != "" {
			pm, err := s.processWord(p, s.globalArgs)
			s.undefinedArgInFrom(st, pm.Unmatched, comments)
			s.redundantTargetPlatform(st, pm, comments)
			s.fromPlatformFlagConst(st, pm, comments)
			if err != nil || pm.Result == "" {
				return false
			}
			plat, err := platforms.Parse(pm.Result)
			if err != nil {
				return false
			}
			st.os = plat.OS
		}
		s.addState(st)
	}
	return true
}

func (s *bkSim) addState(st *bkStage) {
	s.states = append(s.states, st)
	if p, ok := s.byName[st.base]; ok {
		st.parent = p
	}
	if st.name != "" {
		s.byName[st.name] = st
	}
}

func (s *bkSim) imageState(name string) *bkStage {
	st := &bkStage{ins: -1, base: name, unregistered: true}
	s.addState(st)
	return st
}

// dependencies finds the stages and images each stage copies or mounts
// from (buildStageDependencyGraph).
func (s *bkSim) dependencies() bool {
	stages := s.states
	for _, st := range stages {
		for _, i := range st.commands {
			if !s.commandDeps(st, s.cmds[i]) {
				return false
			}
		}
	}
	return !s.circular()
}

func (s *bkSim) commandDeps(st *bkStage, cmd any) bool {
	switch c := cmd.(type) {
	case *instructions.CopyCommand:
		if c.From == "" {
			return true
		}
		res, err := s.lex.ProcessWordWithMatches(c.From, emptyEnv{})
		if err != nil || res.Result != c.From {
			return false // BuildKit does not expand --from
		}
		if n, err := strconv.Atoi(c.From); err == nil {
			if n < 0 || n >= len(s.states) {
				return false
			}
			st.deps = append(st.deps, s.states[n])
			return true
		}
		src := s.byName[strings.ToLower(c.From)]
		if src == nil {
			src = s.imageState(c.From)
		}
		st.deps = append(st.deps, src)
	case *instructions.RunCommand:
		for _, m := range runMounts(c) {
			from := m.From
			if from == "" {
				from = "scratch"
			}
			src := s.byName[strings.ToLower(from)]
			if src == nil {
				src = s.imageState(from)
			}
			st.deps = append(st.deps, src)
		}
	}
	return true
}

func isRemoteSource(src string) bool { return gitSource(src) || isHTTPURL(src) }

func isHTTPURL(src string) bool {
	return strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://")
}

var (
	urlScheme = lazyre.New(`^[a-zA-Z0-9]+://`)
	scpURL    = lazyre.New(`^[a-zA-Z0-9-_]+@[a-zA-Z0-9-.]+:`)
)

// gitSource is how dfgitutil.ParseGitRef tells a Git source from a local
// path or a plain URL.
func gitSource(src string) bool {
	if strings.HasPrefix(src, "github.com/") || strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") {
		return false
	}
	if scheme := urlScheme().FindString(src); scheme != "" {
		switch strings.ToLower(strings.TrimSuffix(scheme, "://")) {
		case "git", "ssh":
			return true
		case "http", "https":
			u, err := url.Parse(src)
			return err == nil && strings.HasSuffix(u.Path, ".git")
		}
		return false
	}
	return scpURL().MatchString(src)
}

// runMounts are a RUN's mounts as parsed, without expansion.
func runMounts(c *instructions.RunCommand) (out []*instructions.Mount) {
	defer func() { _ = recover() }()
	return instructions.GetMounts(c)
}

func (s *bkSim) circular() bool {
	visited := map[*bkStage]bool{}
	onPath := map[*bkStage]bool{}
	var visit func(*bkStage) bool
	visit = func(st *bkStage) bool {
		if visited[st] {
			return false
		}
		visited[st], onPath[st] = true, true
		for _, d := range st.deps {
			if onPath[d] || visit(d) {
				return true
			}
		}
		onPath[st] = false
		return false
	}
	for _, st := range s.states {
		if visit(st) {
			return true
		}
	}
	return false
}

// resolveImages checks every base image reference (BuildKit resolves them
// all before dispatching anything) and sets up ONBUILD triggers.
func (s *bkSim) resolveImages() bool {
	if !s.validRefs(s.states) {
		return false
	}
	reach := map[*bkStage]bool{}
	var add func(*bkStage)
	add = func(st *bkStage) {
		if reach[st] {
			return
		}
		reach[st] = true
		if st.parent != nil {
			add(st.parent)
		}
		for _, d := range st.deps {
			add(d)
		}
	}
	add(s.stages[len(s.stages)-1])
	for _, st := range s.stages {
		if !reach[st] || st.parent == nil {
			continue
		}
		n := len(s.states)
		for _, i := range st.parent.commands {
			outer := s.f.Instructions[i]
			if outer.Kind != "onbuild" {
				continue
			}
			inner := outer.OnBuild
			if inner == nil {
				return false
			}
			cmd, ok := typedCommand(inner).(instructions.Command)
			if !ok {
				return false
			}
			if !s.commandDeps(st, cmd) {
				return false
			}
			st.triggers = append(st.triggers, bkCmd{ins: st.ins, src: inner, cmd: cmd, trigger: true})
		}
		if !s.validRefs(s.states[n:]) {
			return false
		}
	}
	return true
}

func (s *bkSim) validRefs(states []*bkStage) bool {
	for _, st := range states {
		if st.parent != nil {
			continue
		}
		if st.base == "scratch" {
			st.os = "linux" // scratch is always the target platform
			continue
		}
		if !validRef(st.base) {
			return false
		}
	}
	for _, st := range states {
		if st.unregistered {
			st.dispatched = true
		}
	}
	return true
}

// dispatchStages runs every stage in order (dispatchStages with AllStages).
func (s *bkSim) dispatchStages() {
	for _, st := range s.states {
		if st.unregistered {
			continue
		}
		s.initStage(st)
		st.dispatched = true
		for _, c := range st.triggers {
			if !s.dispatch(st, c) {
				return
			}
		}
		for _, i := range st.commands {
			ins := s.f.Instructions[i]
			c := bkCmd{ins: i, src: ins, cmd: s.cmds[i].(instructions.Command), comments: ins.Node.PrevComment}
			if !s.dispatch(st, c) {
				return
			}
		}
	}
}

func (s *bkSim) initStage(st *bkStage) {
	if p := st.parent; p != nil && p.env != nil {
		st.env = p.env.clone()
		st.buildArgs = make(map[string]struct{}, len(p.buildArgs))
		for k := range p.buildArgs {
			st.buildArgs[k] = struct{}{}
		}
		st.workdirSet, st.shellSet, st.os, st.dir = p.workdirSet, p.shellSet, p.os, p.dir
	} else {
		st.env = newBkEnv()
		st.buildArgs = map[string]struct{}{}
	}
	if _, ok := st.env.Get("PATH"); !ok && st.os != "windows" {
		st.env.set("PATH", system.DefaultPathEnv(st.os))
	}
}

// expand is BuildKit's single-word expansion of one word during dispatch:
// it reports the variables that are neither set nor declared (UndefinedVar)
// and fails where BuildKit fails.
func (s *bkSim) expand(st *bkStage, c bkCmd, word string) (string, bool) {
	if !strings.Contains(word, "$") && !strings.ContainsRune(word, s.f.Escape) {
		return unquote(word)
	}
	res, unmatched, err := s.lex.ProcessWord(word, st.env)
	s.undefinedVars(st, c, unmatched)
	return res, err == nil
}

// expandRaw is the expansion of heredoc contents (ExpandRaw).
func (s *bkSim) expandRaw(st *bkStage, c bkCmd, word string) bool {
	if !strings.Contains(word, "$") {
		return true
	}
	lex := shell.NewLex('\\')
	lex.SkipProcessQuotes = true
	_, unmatched, err := lex.ProcessWord(word, st.env)
	s.undefinedVars(st, c, unmatched)
	return err == nil
}

func (s *bkSim) expandAll(st *bkStage, c bkCmd, words []string) ([]string, bool) {
	out := make([]string, len(words))
	for i, w := range words {
		v, ok := s.expand(st, c, w)
		if !ok {
			return nil, false
		}
		out[i] = v
	}
	return out, true
}

// dispatch runs one instruction; false when BuildKit stops there.
func (s *bkSim) dispatch(st *bkStage, c bkCmd) bool {
	switch cmd := c.cmd.(type) {
	case *instructions.EnvCommand:
		return s.dispatchKeyValues(st, c, cmd.Env, "ENV")
	case *instructions.LabelCommand:
		return s.dispatchKeyValues(st, c, cmd.Labels, "LABEL")
	case *instructions.AddCommand:
		words, ok := s.expandAll(st, c, append([]string{cmd.Chown, cmd.Chmod, cmd.Checksum}, cmd.SourcePaths...))
		if !ok {
			return false
		}
		if _, ok := s.expand(st, c, cmd.DestPath); !ok || !s.expandContents(st, c, cmd.SourceContents) {
			return false
		}
		if sum := words[2]; sum != "" {
			if len(words) != 4 || !isRemoteSource(words[3]) {
				return false
			}
		}
		return s.dispatchCopy(st, c, "ADD", words[1], words[3:], nil)
	case *instructions.CopyCommand:
		words, ok := s.expandAll(st, c, append([]string{cmd.Chown, cmd.Chmod}, cmd.SourcePaths...))
		if !ok {
			return false
		}
		if _, ok := s.expand(st, c, cmd.DestPath); !ok || !s.expandContents(st, c, cmd.SourceContents) {
			return false
		}
		var from *bkStage
		if cmd.From != "" {
			from = s.stageRef(cmd.From)
			if from == nil || !from.dispatched {
				return false
			}
		}
		return s.dispatchCopy(st, c, "COPY", words[1], words[2:], from)
	case *instructions.WorkdirCommand:
		p, ok := s.expand(st, c, cmd.Path)
		if !ok {
			return false
		}
		if !st.workdirSet && !system.IsAbs(p, st.os) {
			s.workdirRelativePath(c, cmd.Path, p)
		}
		st.workdirSet = true
		dir, err := system.NormalizeWorkdir(st.dir, p, st.os)
		if err != nil {
			return false
		}
		st.dir = system.ToSlash(dir, st.os)
	case *instructions.RunCommand:
		return s.dispatchRun(st, c, cmd)
	case *instructions.UserCommand:
		_, ok := s.expand(st, c, cmd.User)
		return ok
	case *instructions.VolumeCommand:
		vols, ok := s.expandAll(st, c, cmd.Volumes)
		if !ok {
			return false
		}
		for _, v := range vols {
			if v == "" {
				return false
			}
		}
	case *instructions.StopSignalCommand:
		sig, ok := s.expand(st, c, cmd.Signal)
		if !ok {
			return false
		}
		if _, err := signal.ParseSignal(sig); err != nil {
			return false
		}
	case *instructions.CmdCommand:
		s.usedOnce(&st.cmd, c, "CMD")
		if cmd.PrependShell && !st.shellSet {
			s.jsonArgsRecommended(c, cmd.CmdLine)
		}
	case *instructions.EntrypointCommand:
		s.usedOnce(&st.entrypoint, c, "ENTRYPOINT")
		if cmd.PrependShell && !st.shellSet {
			s.jsonArgsRecommended(c, cmd.CmdLine)
		}
	case *instructions.HealthCheckCommand:
		s.usedOnce(&st.healthcheck, c, "HEALTHCHECK")
	case *instructions.ExposeCommand:
		var ports []string
		for _, p := range cmd.Ports {
			words, err := s.lex.ProcessWords(p, st.env)
			if err != nil {
				return false
			}
			ports = append(ports, words...)
		}
		for _, p := range ports {
			if !s.exposePort(c, p) {
				return false
			}
		}
	case *instructions.ShellCommand:
		st.shellSet = true
	case *instructions.ArgCommand:
		return s.dispatchArg(st, c, cmd)
	}
	return true
}

func (s *bkSim) usedOnce(t *bkTracker, c bkCmd, name string) {
	if t.set {
		s.multipleInstructions(t.at, c, name)
	}
	t.set, t.at = true, c
}

func (s *bkSim) dispatchKeyValues(st *bkStage, c bkCmd, kvs instructions.KeyValuePairs, kind string) bool {
	keys := make([]string, len(kvs))
	vals := make([]string, len(kvs))
	for i, kv := range kvs {
		var ok bool
		if keys[i], ok = s.expand(st, c, kv.Key); !ok {
			return false
		}
		if vals[i], ok = s.expand(st, c, kv.Value); !ok {
			return false
		}
	}
	for i, kv := range kvs {
		if kv.NoDelim {
			s.legacyKeyValueFormat(c, kind, kv)
		}
		if kind == "ENV" {
			s.secretsUsed(c, "ENV", keys[i])
			st.env.set(keys[i], vals[i])
		}
	}
	return true
}

func (s *bkSim) dispatchArg(st *bkStage, c bkCmd, cmd *instructions.ArgCommand) bool {
	for _, kv := range cmd.Args {
		s.secretsUsed(c, "ARG", kv.Key)
		var val *string
		if kv.Value != nil {
			v, ok := s.expand(st, c, *kv.Value)
			if !ok {
				return false
			}
			val = &v
		} else if v, ok := s.globalArgs.Get(kv.Key); ok {
			val = &v
		}
		if val != nil && kv.Key != "BUILDKIT_SBOM_SCAN_CONTEXT" && kv.Key != "BUILDKIT_SBOM_SCAN_STAGE" {
			st.env.set(kv.Key, *val)
		}
		st.buildArgs[kv.Key] = struct{}{}
	}
	return true
}

func (s *bkSim) expandContents(st *bkStage, c bkCmd, contents []instructions.SourceContent) bool {
	for _, sc := range contents {
		if sc.Expand && !s.expandRaw(st, c, sc.Data) {
			return false
		}
	}
	return true
}

// stageRef finds what COPY --from names.
func (s *bkSim) stageRef(from string) *bkStage {
	if n, err := strconv.Atoi(from); err == nil {
		if n < 0 || n >= len(s.states) {
			return nil
		}
		return s.states[n]
	}
	if st := s.byName[strings.ToLower(from)]; st != nil {
		return st
	}
	return &bkStage{unregistered: true, dispatched: true}
}

// dispatchCopy is the part of dispatchCopy that can fail or warn.
func (s *bkSim) dispatchCopy(st *bkStage, c bkCmd, kind, chmod string, sources []string, from *bkStage) bool {
	if chmod != "" {
		if p, err := strconv.ParseUint(chmod, 8, 32); err == nil {
			if p > 0o7777 {
				return false
			}
		} else if chmod[0] >= '0' && chmod[0] <= '9' {
			return false
		}
	}
	for _, src := range sources {
		if gitSource(src) || isHTTPURL(src) {
			if kind == "COPY" {
				return false
			}
			continue
		}
		if from == nil {
			s.copyIgnoredFile(c, kind, src)
		}
	}
	return true
}

func (s *bkSim) dispatchRun(st *bkStage, c bkCmd, cmd *instructions.RunCommand) bool {
	if len(cmd.Files) > 0 && (len(cmd.CmdLine) != 1 || !cmd.PrependShell) {
		return false
	}
	if len(runMounts(cmd)) == 0 {
		return true
	}
	// Expanding the mounts changes the command: work on a fresh copy.
	fresh, err := parseWithLinter(c.src)
	run, ok := fresh.(*instructions.RunCommand)
	if err != nil || !ok {
		return false
	}
	failed := false
	err = run.Expand(func(w string) (string, error) {
		v, ok := s.expand(st, c, w)
		if !ok {
			failed = true
		}
		return v, nil
	})
	if err != nil || failed {
		return false
	}
	for _, m := range runMounts(run) {
		from := m.From
		if from == "" && m.Type == instructions.MountTypeCache {
			from = "scratch"
		}
		if from != "" {
			if src := s.byName[strings.ToLower(from)]; src != nil && !src.dispatched {
				return false
			}
		}
		switch m.Type {
		case instructions.MountTypeSecret:
			if !validSecretMount(m, st.os) {
				return false
			}
			continue
		case instructions.MountTypeSSH:
			if m.Source != "" {
				return false
			}
			continue
		}
		t := m.Target
		if !path.IsAbs(path.Clean(t)) {
			t = path.Join("/", st.dir, t)
		}
		if t == "/" {
			return false
		}
	}
	return true
}

// validSecretMount is what dispatchSecret rejects.
func validSecretMount(m *instructions.Mount, os string) bool {
	target := m.Target
	if os == "windows" {
		target = system.ToSlash(target, "windows")
	}
	if m.CacheID == "" && m.Source == "" && target == "" {
		return false
	}
	if os == "windows" && (target != "" && !system.IsAbs(target, "windows") || target == "" && m.Env == nil) {
		return false
	}
	return true
}

// unquote is the shell lexer's ProcessWord on a word without variables or
// escapes: it removes the quotes, and fails on an unterminated one.
func unquote(word string) (string, bool) {
	if !strings.ContainsAny(word, `'"`) {
		return word, true
	}
	var b strings.Builder
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c != '\'' && c != '"' {
			b.WriteByte(c)
			continue
		}
		j := strings.IndexByte(word[i+1:], c)
		if j < 0 {
			return "", false
		}
		b.WriteString(word[i+1 : i+1+j])
		i += j + 1
	}
	return b.String(), true
}

// validRefs remembers which image references parse: the same few hundred
// base images recur across files, and parsing one costs microseconds.
var validRefs sync.Map // string -> bool

// validRef reports whether BuildKit accepts ref as an image reference.
func validRef(ref string) bool {
	if v, ok := validRefs.Load(ref); ok {
		return v.(bool)
	}
	_, err := reference.ParseNormalizedNamed(ref)
	if len(ref) < 256 && validRefsSize.Add(1) < 100_000 {
		validRefs.Store(ref, err == nil)
	}
	return err == nil
}

var validRefsSize atomic.Int64

// processWord is ProcessWordWithMatches, without the lexer for a word
// that has no variable.
func (s *bkSim) processWord(word string, env shell.EnvGetter) (shell.ProcessWordResult, error) {
	if !strings.Contains(word, "$") && !strings.ContainsRune(word, s.f.Escape) {
		if res, ok := unquote(word); ok {
			return shell.ProcessWordResult{Result: res}, nil
		}
	}
	return s.lex.ProcessWordWithMatches(word, env)
}
