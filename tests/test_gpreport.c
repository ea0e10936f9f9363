/* stub: being written */
#include "gp-test.h"

static void test_placeholder_gpreport(void)
{
  CU_PASS("stub");
}

static const GpTestCase cases[] = {
  GP_TEST(test_placeholder_gpreport),
};
GP_TEST_MAIN("gpreport", cases)
