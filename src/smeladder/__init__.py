"""SME Ladder (中小企业梯度培育平台): SME gradient-cultivation platform for cities."""

__version__ = "0.1.0"
