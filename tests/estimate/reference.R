# Independent reference values for tests/estimate, computed with R's glm
# (Poisson family, log link) and lpSolve, following ../shared/docs/mse.md.
# Nothing here shares code with src/estimate: ctip's C must agree with it.
#
#   Rscript tests/estimate/reference.R ../shared/datasets/mse > tests/estimate/glm_expected.csv
#   Rscript tests/estimate/reference.R ../shared/datasets/mse stepwise > tests/estimate/stepwise_expected.csv
#   Rscript tests/estimate/reference.R ../shared/datasets/mse bca > tests/estimate/bca_expected.csv
#   Rscript tests/estimate/reference.R ../shared/datasets/mse aic > tests/estimate/aic_expected.csv
#
# Debian: apt-get install r-base-core r-cran-lpsolve
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]
mode <- if (length(args) > 1) args[2] else "glm"
options(digits = 15)

# The full table: every capture history but the unobserved one, zeros included.
fulltable <- function(file) {
  d <- read.csv(file.path(dir, paste0(file, ".csv")), check.names = FALSE)
  t <- ncol(d) - 1
  lists <- names(d)[1:t]
  grid <- as.matrix(expand.grid(rep(list(0:1), t)))[-1, , drop = FALSE]
  colnames(grid) <- lists
  key <- function(m) apply(m, 1, paste, collapse = "")
  y <- rep(0, nrow(grid))
  idx <- match(key(as.matrix(d[, 1:t])), key(grid))
  for (k in seq_along(idx)) y[idx[k]] <- y[idx[k]] + d[k, t + 1]
  list(x = grid, y = y, lists = lists, t = t)
}

# pairs: list of c(i, j). Pairs with no observed overlap are -Inf terms: their
# cells are dropped and they get no column (mse.md, sparse data, step 1).
fitmodel <- function(tab, pairs) {
  keep <- rep(TRUE, length(tab$y))
  X <- cbind(1, tab$x)
  nempty <- 0
  for (p in pairs) {
    both <- tab$x[, p[1]] * tab$x[, p[2]]
    if (sum(both * tab$y) == 0) {
      keep <- keep & both == 0
      nempty <- nempty + 1
    } else {
      X <- cbind(X, both)
    }
  }
  X <- X[keep, , drop = FALSE]
  y <- tab$y[keep]
  fit <- glm.fit(X, y, family = poisson(), intercept = FALSE,
                 control = glm.control(epsilon = 1e-12, maxit = 100))
  cov <- chol2inv(qr.R(qr(sqrt(fit$weights) * X)))
  list(fit = fit, X = X, y = y, keep = keep, nempty = nempty,
       est = sum(tab$y) + exp(fit$coefficients[1]),
       se0 = sqrt(cov[1, 1]),
       aic = fit$aic + 2 * nempty)
}

# Existence (linear programme) and identifiability (rank) of mse.md step 2.
checkmodel <- function(tab, pairs) {
  keep <- rep(TRUE, length(tab$y))
  X <- cbind(1, tab$x)
  for (p in pairs) {
    both <- tab$x[, p[1]] * tab$x[, p[2]]
    if (sum(both * tab$y) == 0) keep <- keep & both == 0 else X <- cbind(X, both)
  }
  M <- X[keep, , drop = FALSE]
  tt <- t(M) %*% tab$y[keep]
  n <- nrow(M); p <- ncol(M)
  lp <- lpSolve::lp("max", c(rep(0, n), 1),
                    rbind(cbind(t(M), 0), cbind(diag(n), -1)),
                    c(rep("=", p), rep(">=", n)), c(tt, rep(0, n)))
  noexist <- lp$objval < 1e-9
  noident <- qr(M)$rank < p
  noexist || noident
}

pairname <- function(tab, p) paste(tab$lists[p], collapse = ":")

stepwise <- function(tab, thresh) {
  t <- tab$t
  all <- list()
  for (i in 1:(t - 1)) for (j in (i + 1):t) all[[length(all) + 1]] <- c(i, j)
  model <- list(); pv <- c()
  cur <- fitmodel(tab, model)
  repeat {
    best <- 1; bestk <- 0
    mu <- rep(0, length(tab$y)); mu[cur$keep] <- cur$fit$fitted.values
    for (k in seq_along(all)) {
      p <- all[[k]]
      if (any(sapply(model, function(m) all(m == p)))) next
      both <- tab$x[, p[1]] * tab$x[, p[2]]
      nstar <- sum(both * tab$y); mustar <- sum(both * mu)
      pval <- min(ppois(nstar, mustar), ppois(nstar - 1, mustar, lower.tail = FALSE))
      if (checkmodel(tab, c(model, list(p)))) pval <- 1
      if (pval < best) { best <- pval; bestk <- k }
    }
    if (bestk == 0 || best >= thresh) break
    model <- c(model, list(all[[bestk]])); pv <- c(pv, best)
    cur <- fitmodel(tab, model)
  }
  list(model = model, p = pv, fit = cur)
}

sets <- c("UKdat", "UKdat_5", "UKdat_4", "Ned", "Ned_5", "NewOrl", "NewOrl_5",
          "NewOrl_v3", "NewOrl_5_v3", "Western", "Kosovo", "Korea", "Australia")
fixed <- list(UKdat = list(c(1, 2), c(3, 4), c(2, 3)),
              UKdat_5 = list(c(1, 2), c(3, 4)),
              Kosovo = list(c(1, 2), c(1, 3), c(3, 4)),
              Western = list(c(1, 3), c(2, 3), c(4, 5)),
              NewOrl = list(c(1, 3), c(2, 4)),        # (B,D) has no overlap: -Inf
              Artificial_3 = list(c(1, 3), c(2, 3)),  # both empty: -Inf
              Ned = list(c(1, 3), c(4, 5), c(4, 6)))

# BCa limits from a fixed set of replicates (no random numbers), as
# SparseMSE's bcaconfvalues: z0 from the share below the estimate, quantile type 8.
bca <- function(reps, popest, ahat, alpha) {
  z0 <- qnorm(mean(reps < popest))
  za0 <- qnorm(alpha) + z0
  quantile(reps, probs = pnorm(z0 + za0 / (1 - ahat * za0)), type = 8, names = FALSE)
}

# AIC forward selection (modslavmse's MSEfit, on the sparse treatment above):
# the pair lowering AIC most among admissible ones enters if its Wald
# p-value is at most thresh (an empty overlap has no finite coefficient: 1).
aicstep <- function(tab, thresh) {
  t <- tab$t
  all <- list()
  for (i in 1:(t - 1)) for (j in (i + 1):t) all[[length(all) + 1]] <- c(i, j)
  model <- list(); pv <- c()
  cur <- fitmodel(tab, model)
  repeat {
    best <- cur$aic; bestk <- 0
    for (k in seq_along(all)) {
      p <- all[[k]]
      if (any(sapply(model, function(m) all(m == p)))) next
      f <- fitmodel(tab, c(model, list(p)))
      if (f$aic < best && !checkmodel(tab, c(model, list(p)))) { best <- f$aic; bestk <- k }
    }
    if (bestk == 0) break
    p <- all[[bestk]]
    f <- fitmodel(tab, c(model, list(p)))
    both <- tab$x[, p[1]] * tab$x[, p[2]]
    if (sum(both * tab$y) == 0) wp <- 1 else {
      cov <- chol2inv(qr.R(qr(sqrt(f$fit$weights) * f$X)))
      k <- ncol(f$X)
      wp <- 2 * pnorm(-abs(f$fit$coefficients[k] / sqrt(cov[k, k])))
    }
    if (wp > thresh) break
    model <- c(model, list(p)); pv <- c(pv, wp); cur <- f
  }
  list(model = model, p = pv, fit = cur)
}

# Rcapture's closedpCI.t profile likelihood with Cormack's correction, on
# the model's kept cells plus the unobserved one (design: intercept only).
profileci <- function(tab, f, level = 0.95) {
  X <- rbind(f$X, c(1, rep(0, ncol(f$X) - 1)))
  n <- sum(tab$y); N0 <- f$est
  ll <- function(N, lobj = 0) {
    n0 <- N - n
    g <- glm.fit(X, c(f$y, n0), family = poisson(), intercept = FALSE,
                 control = glm.control(epsilon = 1e-12, maxit = 100))
    ct <- if (N > 100) { if (n0 == 0 || n0 == 1) -N + 0.5 * log(2 * pi * N) else n0 - N - 0.5 * log(n0 / N) }
          else log((n0^n0) * factorial(N) / ((N^N) * factorial(n0)))
    (g$deviance - 2 * ct) / (-2) - lobj
  }
  op <- optimize(ll, c(n, 3 * N0), tol = 1e-8, maximum = TRUE)
  lmin <- op$objective - qchisq(level, 1) / 2
  lo <- tryCatch(uniroot(ll, c(n, op$maximum), lobj = lmin, tol = 1e-8)$root, error = function(e) n)
  hi <- tryCatch(uniroot(ll, c(op$maximum, 3 * N0), lobj = lmin, tol = 1e-8)$root, error = function(e) Inf)
  c(op$maximum, lo, hi)
}

if (mode == "aic") {
  cat("dataset,threshold,terms,p_values,estimate,profile_max,lower,upper\n")
  for (s in c("UKdat", "UKdat_5", "UKdat_4", "Ned_5", "NewOrl_5", "Western", "Kosovo", "Korea")) {
    tab <- fulltable(s)
    for (th in c(0.05, 0.001)) {
      r <- aicstep(tab, th)
      terms <- paste(sapply(r$model, function(p) pairname(tab, p)), collapse = "+")
      ci <- profileci(tab, r$fit)
      cat(sprintf("%s,%g,%s,%s,%.12g,%.12g,%.12g,%.12g\n", s, th, terms,
                  paste(sprintf("%.6g", r$p), collapse = "+"), r$fit$est, ci[1], ci[2], ci[3]))
    }
  }
  quit(save = "no")
}

if (mode == "bca") {
  cat("case,n,estimate,accel,lower,upper,q8_0.025,q8_0.5,q8_0.975\n")
  reps <- 10000 + 1500 * qnorm(ppoints(101)) + 300 * sin(1:101)
  for (k in 1:3) {
    est <- c(10100, 9800, 10500)[k]; a <- c(0.03, 0, -0.05)[k]
    n <- c(101, 57, 20)[k]; x <- reps[1:n]
    l <- bca(x, est, a, c(0.025, 0.975))
    q <- quantile(x, c(0.025, 0.5, 0.975), type = 8, names = FALSE)
    cat(sprintf("%d,%d,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g,%.12g\n", k, n, est, a, l[1], l[2],
                q[1], q[2], q[3]))
  }
  # jackknife acceleration, as SparseMSE's estimatepopulation
  J <- c(11000, 10800, 11500, 10950, 12000); cnt <- c(54, 463, 15, 1, 3)
  jr <- sum(cnt * J) / sum(cnt) - J
  cat(sprintf("accel,%.12g\n", sum(cnt * jr^3) / (6 * (sum(cnt * jr^2))^1.5)))
  quit(save = "no")
}

if (mode == "glm") {
  cat("dataset,model,estimate,beta0,se0,deviance,df,aic\n")
  out <- function(name, label, f) {
    cat(sprintf("%s,%s,%.12g,%.12g,%.12g,%.12g,%d,%.12g\n", name, label, f$est,
                f$fit$coefficients[1], f$se0, f$fit$deviance, f$fit$df.residual, f$aic))
  }
  for (s in c(sets, "Artificial_3")) {
    tab <- fulltable(s)
    out(s, "main", fitmodel(tab, list()))
    if (!is.null(fixed[[s]])) {
      pr <- fixed[[s]]
      lab <- paste(sapply(pr, function(p) pairname(tab, p)), collapse = "+")
      out(s, lab, fitmodel(tab, pr))
    }
  }
} else {
  cat("dataset,threshold,terms,p_values,estimate\n")
  for (s in c(sets, "Artificial_3")) {
    tab <- fulltable(s)
    for (th in c(0.02, 0.05)) {
      r <- stepwise(tab, th)
      terms <- paste(sapply(r$model, function(p) pairname(tab, p)), collapse = "+")
      cat(sprintf("%s,%g,%s,%s,%.12g\n", s, th, terms,
                  paste(sprintf("%.6g", r$p), collapse = "+"), r$fit$est))
    }
  }
}
