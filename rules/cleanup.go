package rules

import "github.com/strata-dev/strata/lint"

// cleanupCheck is the shape of DL3032, DL3036, DL3040 and DL3060: an
// install command must be followed, later in the same RUN, by a command
// that empties the manager's cache, unless a cache mount keeps it out.
type cleanupCheck struct {
	cache     string // key in packageCaches
	install   func(*lint.Command) bool
	clean     func(install, c *lint.Command) bool
	keptOnly  bool // only stages that reach the image (DL3060, as hadolint)
	message   string
	mountDirs []string // mount targets that exempt; nil means none
}

func (cc cleanupCheck) run(p *lint.Pass) {
	eachRun(p.File, func(ins *lint.Instruction, s *lint.Script) {
		if cc.keptOnly && !stageKept(p.File, ins) {
			return
		}
		if len(cc.mountDirs) > 0 && ins.HasCacheMount(cc.mountDirs...) {
			return
		}
		for i, c := range s.Commands {
			if !cc.install(c) {
				continue
			}
			if laterCommand(s, i, func(x *lint.Command) bool { return cc.clean(c, x) }) {
				continue
			}
			p.Report(lint.Finding{At: ins, Range: c.Range(), Message: cc.message, Help: cacheHelp(cc.cache)})
			return // one finding per RUN
		}
	})
}
