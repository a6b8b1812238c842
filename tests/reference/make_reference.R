# Reference values for partnernet's analysis tests, computed with R sna and igraph.
# Run from tests/reference: Rscript make_reference.R   (writes reference_values.json)
suppressMessages({library(sna); library(igraph)})
out <- list(sna_version = as.character(packageVersion("sna")),
            igraph_version = as.character(packageVersion("igraph")))

# Padgett's Florentine families (marriage ties), undirected
e <- read.csv("florentine_edges.csv", stringsAsFactors = FALSE)
grp <- read.csv("florentine_groups.csv", stringsAsFactors = FALSE)
g <- graph_from_data_frame(e, directed = FALSE, vertices = grp$node)
out$florentine_betweenness <- as.list(betweenness(g, normalized = TRUE))
out$florentine_constraint <- as.list(constraint(g))
A <- as.matrix(as_adjacency_matrix(g, sparse = FALSE))
b <- brokerage(A, grp$group[match(rownames(A), grp$node)])
out$florentine_brokerage_raw <- lapply(split(b$raw.nli, row(b$raw.nli)), as.list)
names(out$florentine_brokerage_raw) <- rownames(A)
out$florentine_brokerage_z <- lapply(split(b$z.nli, row(b$z.nli)), as.list)
names(out$florentine_brokerage_z) <- rownames(A)
out$florentine_brokerage_z_gli <- as.list(b$z.gli)

# The 16 families of Padgett's marriage network: the 15 above plus the Pucci, who married
# none of them (an isolate). Normalised betweenness counts every node of the graph.
g16 <- graph_from_data_frame(e, directed = FALSE, vertices = c(grp$node, "Pucci"))
out$florentine16_betweenness <- as.list(betweenness(g16, normalized = TRUE))
out$florentine16_constraint <- as.list(constraint(g16))
out$florentine16_degree <- as.list(degree(g16))

# A random directed graph (networkx gnp_random_graph(30, 0.12, seed=3, directed=True))
e <- read.csv("random_digraph_edges.csv")
grp <- read.csv("random_digraph_groups.csv", stringsAsFactors = FALSE)
M <- matrix(0, 30, 30)
M[cbind(e$from + 1, e$to + 1)] <- 1
b <- brokerage(M, grp$group)
out$digraph_brokerage_raw <- lapply(split(b$raw.nli, row(b$raw.nli)), as.list)
out$digraph_brokerage_exp <- lapply(split(b$exp.nli, row(b$exp.nli)), as.list)
out$digraph_brokerage_sd <- lapply(split(b$sd.nli, row(b$sd.nli)), as.list)
out$digraph_brokerage_gli <- list(raw = as.list(b$raw.gli), exp = as.list(b$exp.gli),
                                  sd = as.list(b$sd.gli))

write_json <- function(x, indent = "") {
  if (is.list(x)) {
    nm <- names(x)
    inner <- paste0(indent, "  ")
    if (!is.null(nm) && all(nm != "")) {
      items <- mapply(function(k, v) paste0(inner, '"', k, '": ', write_json(v, inner)), nm, x)
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
    }
    items <- sapply(x, function(v) paste0(inner, write_json(v, inner)))
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", indent, "]"))
  }
  if (is.character(x)) return(paste0('"', x, '"'))
  if (is.na(x) || is.nan(x)) return("null")
  format(x, digits = 15)
}
writeLines(write_json(out), "reference_values.json")
