"""Official documents as PDFs (WeasyPrint, Sarabun, พ.ศ.): `data` reads what each shows,
`render` lays HTML templates (templates/) out as PDF, `zips` makes the files HR downloads."""
