package scenarios

import (
	"math"
	"strconv"

	"github.com/backlogsim/backlogsim/sim"
)

// Limits on sizes, to catch typos before they exhaust memory.
const (
	maxEntities  = 1000
	maxContracts = 100_000
	maxHorizon   = sim.MaxHorizonYears // years
	maxRate      = sim.MaxRate
)

// rng is the allowed range of a number. The ranges of the model's numbers
// are sim's (see sim.NumberRange, read by table.modelNum); those
// below are of the keys that only a file has: the horizon and the
// [uncertainty] distributions.
type rng = sim.Range

var (
	anyNum   = rng{Lo: math.Inf(-1), Hi: math.Inf(1)}
	positive = rng{Lo: 0, Hi: math.Inf(1), LoOpen: true}
)

// fmtNum formats a number as sim's errors do.
func fmtNum(v float64) string { return sim.FormatNumber(v) }

// fmtApprox formats a computed number with 12 significant digits, so that
// rounding noise (30.599999999999998) does not show.
func fmtApprox(v float64) string { return strconv.FormatFloat(v, 'g', 12, 64) }
