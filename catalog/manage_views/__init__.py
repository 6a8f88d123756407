"""Pages for maintaining the catalog: resources, review, versions, systems, Excel in and out."""
