package parser

// File is a parsed pipeline file.
type File struct {
	Name       string // path as given on the command line
	Text       string
	Statements []Statement
}
