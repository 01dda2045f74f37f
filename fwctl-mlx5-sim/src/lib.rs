//! The mlx5 fwctl driver and a simulated ConnectX-like firmware (under construction, issue 3).
