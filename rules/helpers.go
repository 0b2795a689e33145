package rules

import (
	"strconv"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// eachRun calls fn for every RUN with a parsed script, including RUNs
// wrapped in ONBUILD.
func eachRun(f *lint.File, fn func(ins *lint.Instruction, s *lint.Script)) {
	for _, ins := range f.Instructions {
		run := ins
		if ins.OnBuild != nil {
			run = ins.OnBuild
		}
		if run.Kind != "run" {
			continue
		}
		if s := run.Script(); s != nil && s.Err == nil {
			fn(run, s)
		}
	}
}

// stageKept reports whether what a stage leaves in its file system can end
// up in the built image, as hadolint decides it: the stage is the last one,
// or a later stage is built FROM it. Instructions outside any stage and
// ONBUILD instructions (which run in a downstream image) always count.
func stageKept(f *lint.File, ins *lint.Instruction) bool {
	if ins.IsOnBuild() || ins.Stage == nil {
		return true
	}
	s := ins.Stage
	if s == f.FinalStage() {
		return true
	}
	for _, later := range f.Stages[s.Index+1:] {
		if later.Parent == s {
			return true
		}
	}
	return false
}

// imageRef splits an image reference into name, tag and digest.
type imageRef struct {
	Name, Tag, Digest string
}

func parseImageRef(ref string) imageRef {
	var r imageRef
	if i := strings.IndexByte(ref, '@'); i >= 0 {
		ref, r.Digest = ref[:i], ref[i+1:]
	}
	slash := strings.LastIndexByte(ref, '/')
	if i := strings.LastIndexByte(ref, ':'); i > slash {
		ref, r.Tag = ref[:i], ref[i+1:]
	}
	r.Name = ref
	return r
}

// isStageName reports whether name is the alias of a stage defined before
// stage index before.
func isStageName(f *lint.File, name string, before int) bool {
	for _, s := range f.Stages {
		if s.Index >= before {
			break
		}
		if s.Name != "" && strings.EqualFold(s.Name, name) {
			return true
		}
	}
	return false
}

// truthy is how pip reads PIP_NO_CACHE_DIR and friends.
func truthy(v string) bool {
	switch strings.ToLower(strings.Trim(v, `"'`)) {
	case "1", "true", "yes", "on", "y":
		return true
	}
	return false
}

// laterCommand reports whether a command matching ok comes after index i.
func laterCommand(s *lint.Script, i int, ok func(*lint.Command) bool) bool {
	for _, c := range s.Commands[i+1:] {
		if ok(c) {
			return true
		}
	}
	return false
}

// isRmOf matches an `rm` of a path under one of dirs (or any `rm -rf`,
// which hadolint accepts as a cleanup).
func isRmOf(c *lint.Command, dirs ...string) bool {
	if !c.Is("rm") {
		return false
	}
	for _, a := range c.Args {
		if a.Value == "-rf" || a.Value == "-fr" {
			return true
		}
		for _, d := range dirs {
			if strings.HasPrefix(a.Value, d) {
				return true
			}
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }
