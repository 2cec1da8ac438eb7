package server

// distributionRoutes are the relief distribution register's routes.
func (s *Server) distributionRoutes() []route { return nil }

// fundRoutes are the relief fund ledger's routes.
func (s *Server) fundRoutes() []route { return nil }
