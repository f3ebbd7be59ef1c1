// Package archtest holds repository-wide architecture tests: the layering
// rules of DESIGN.md section 4, checked over the transitive imports of every
// package.
package archtest
