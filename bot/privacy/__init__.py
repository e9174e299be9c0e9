"""Patients' personal details found in what they typed, so that nothing leaves the clinic with them."""
