"""SME Ladder (中小企业梯度培育平台): gradient-cultivation platform for city and district bureaus."""

__version__ = "0.1.0"
