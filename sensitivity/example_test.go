package sensitivity_test

import (
	"fmt"

	"github.com/backlogsim/backlogsim/sensitivity"
)

// Sobol indices of Y = X₁ + 2·X₂ with independent uniform inputs: X₂
// explains 4/5 of the variance and X₁ 1/5, with no interaction.
func Example() {
	d, err := sensitivity.NewDesign(4096, 2, 1)
	if err != nil {
		panic(err)
	}
	y := make([]float64, d.Cases())
	var x []float64
	for k := range y {
		x = d.Point(k, x) // evaluate the model at every case, in any order
		y[k] = x[0] + 2*x[1]
	}
	fA, fB, fAB, err := d.Split(y)
	if err != nil {
		panic(err)
	}
	r, err := sensitivity.Bootstrap(fA, fB, fAB, 200, 0.95, 1)
	if err != nil {
		panic(err)
	}
	for i := range 2 {
		fmt.Printf("X%d: first order %.2f, total %.2f\n", i+1, r.First[i].Value, r.Total[i].Value)
	}
	// Output:
	// X1: first order 0.20, total 0.20
	// X2: first order 0.80, total 0.80
}
